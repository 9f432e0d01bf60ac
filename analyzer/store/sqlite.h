// A thin RAII layer over the SQLite C API: connections, prepared statements, transactions.
// Errors throw store::SqliteError carrying SQLite's extended result code.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace archscan::store {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;

  // Parameters are 1-based, as in SQLite.
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i);
  // Binds NULL for an empty string.
  Stmt& bind_opt(int i, std::string_view v) { return v.empty() ? bind_null(i) : bind(i, v); }
  template <class... A>
  Stmt& bind_all(const A&... a) {
    int i = 0;
    (bind(++i, a), ...);
    return *this;
  }

  // Advances; true while a row is available.
  bool step();
  // Runs a statement that returns no rows (or ignores them) and resets it.
  void run();
  void reset();

  int64_t i64(int col) const;
  double f64(int col) const;
  std::string text(int col) const;  // "" for NULL
  bool is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  // Opens (and with `create`, creates) the database file. Sets the busy timeout, foreign keys and,
  // for a writable connection, WAL mode.
  Db(const std::string& path, bool create, int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  Stmt prepare(std::string_view sql) { return Stmt(db_, sql); }
  int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  // The first column of the first row of `sql`, if any.
  std::optional<int64_t> scalar_i64(std::string_view sql);
  std::string scalar_text(std::string_view sql);
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// BEGIN IMMEDIATE (writers queue on the busy timeout instead of failing on lock upgrade) or a
// deferred read transaction; rolls back unless committed.
class Transaction {
 public:
  enum Kind { Deferred, Immediate };
  explicit Transaction(Db& db, Kind k = Immediate);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace archscan::store
