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

// What went wrong with the database file, as the user must hear it.
enum class Trouble {
  Damaged,   // corrupt or not a database (SQLITE_CORRUPT, SQLITE_NOTADB): refuse, leave it as it is
  ReadOnly,  // the file or its directory cannot be written (SQLITE_READONLY, SQLITE_PERM)
  CantOpen,  // no such directory, a directory in the way, ... (SQLITE_CANTOPEN)
  Full,      // the disk is full (SQLITE_FULL)
  Io,        // an I/O error (SQLITE_IOERR), often a full disk too
  Busy,      // another process held the lock past the busy timeout
  Other,     // a bug or a constraint: the statement is part of the message
};
Trouble trouble_of(int code);

// what(): one line for the user, starting with what is wrong (the caller names the file before it)
// and ending with how to recover; for Trouble::Other the statement and SQLite's message.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  Trouble trouble() const { return trouble_of(code_); }

 private:
  int code_;
};

// The message of a SqliteError for `code` on the database file `file`; `context` (the statement) is
// used for Trouble::Other only.
std::string explain_sqlite(int code, std::string_view sqlite_message, std::string_view file, std::string_view context);

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
  // for a writable connection, WAL mode. Before it changes anything, the first opening of a path in
  // this process checks the file (PRAGMA quick_check): a damaged one is refused (Trouble::Damaged)
  // and left exactly as it is. Without `create`, a database whose directory cannot be written (no
  // -shm file possible) and that has no write-ahead log to replay is opened read-only as it is.
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
  // Whether SQLite opened the file read-only (its permissions do not allow writing).
  bool read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }
  const std::string& path() const { return path_; }

 private:
  // `immutable`: read-only, without the write-ahead log (for reading in a read-only directory).
  void open(bool create, int busy_timeout_ms, bool immutable);
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
