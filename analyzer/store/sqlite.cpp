#include "store/sqlite.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

namespace archscan::store {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  throw SqliteError(rc, explain_sqlite(rc, msg ? msg : sqlite3_errstr(rc), file ? file : "", what));
}

// The paths found sound by PRAGMA quick_check in this process (a scan opens its database a few
// times; once is enough).
std::mutex g_checked_mu;
std::set<std::string> g_checked;

bool checked(const std::string& path) {
  std::lock_guard<std::mutex> lk(g_checked_mu);
  return g_checked.count(path) > 0;
}

void mark_checked(const std::string& path) {
  std::lock_guard<std::mutex> lk(g_checked_mu);
  g_checked.insert(path);
}

}  // namespace

Trouble trouble_of(int code) {
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Trouble::Damaged;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Trouble::ReadOnly;
    case SQLITE_CANTOPEN:
      return Trouble::CantOpen;
    case SQLITE_FULL:
      return Trouble::Full;
    case SQLITE_IOERR:
      return Trouble::Io;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Trouble::Busy;
    default:
      return Trouble::Other;
  }
}

std::string explain_sqlite(int code, std::string_view sqlite_message, std::string_view file, std::string_view context) {
  const std::string f = file.empty() ? std::string("FILE") : std::string(file);
  switch (trouble_of(code)) {
    case Trouble::Damaged:
      return fmt::format(
          "damaged or not an archscan database ({}); archscan left it as it is: move it aside (mv {} {}.damaged) and "
          "run again to start a new one (its review history may still be readable with `sqlite3 {}.damaged 'SELECT * "
          "FROM reviews'`), or use --db PATH / --no-db",
          sqlite_message, f, f, f);
    case Trouble::ReadOnly:
      return fmt::format(
          "cannot be written ({}); nothing was written: make the file and its directory writable, or record "
          "elsewhere with --db PATH, or scan with --no-db",
          sqlite_message);
    case Trouble::CantOpen:
      return fmt::format(
          "cannot be opened ({}): is it a file in an existing, writable directory? Or use --db PATH / --no-db",
          sqlite_message);
    case Trouble::Full:
      return fmt::format(
          "the disk is full ({}); the change was not written and the database keeps what it held before: free some "
          "space and run again",
          sqlite_message);
    case Trouble::Io:
      return fmt::format(
          "I/O error ({}); the change was not written and the database keeps what it held before: check the disk (is "
          "it full?) and run again",
          sqlite_message);
    case Trouble::Busy:
      return fmt::format(
          "locked by another process for too long ({}); the change was not written: run again once it has finished",
          sqlite_message);
    case Trouble::Other:
      break;
  }
  return fmt::format("{}: {}", context, sqlite_message);
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, fmt::format("prepare `{}`", sql.substr(0, 80)));
}

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::bind(int i, int64_t v) {
  if (int rc = sqlite3_bind_int64(s_, i, v); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, double v) {
  if (int rc = sqlite3_bind_double(s_, i, v); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  if (int rc = sqlite3_bind_null(s_, i); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, fmt::format("step `{}`", std::string_view(sqlite3_sql(s_)).substr(0, 80)));
}

void Stmt::run() {
  while (step()) {
  }
  reset();
}

void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

int64_t Stmt::i64(int col) const { return sqlite3_column_int64(s_, col); }
double Stmt::f64(int col) const { return sqlite3_column_double(s_, col); }
bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

std::string Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}

namespace {

// A path as an SQLite URI filename ("file:" form): '%', '?' and '#' would end the path.
std::string uri_path(const std::string& path) {
  std::string out = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20)
      out += fmt::format("%{:02X}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

bool empty_or_missing(const std::string& path) {
  std::error_code ec;
  return !std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0;
}

}  // namespace

Db::Db(const std::string& path, bool create, int busy_timeout_ms) : path_(path) {
  try {
    open(create, busy_timeout_ms, false);
  } catch (const SqliteError& e) {
    // Only to read (findings, report) a database in a directory that cannot be written: WAL needs
    // its -shm file there. With no write-ahead log to replay, the file alone is the database.
    const Trouble t = e.trouble();
    if (create || (t != Trouble::ReadOnly && t != Trouble::CantOpen) || !empty_or_missing(path + "-wal")) throw;
    open(false, busy_timeout_ms, true);
  }
}

void Db::open(bool create, int busy_timeout_ms, bool immutable) {
  const std::string& path = path_;
  int flags =
      immutable ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  flags |= SQLITE_OPEN_NOMUTEX;
  const std::string name = immutable ? uri_path(path) + "?immutable=1" : path;
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SqliteError(rc, explain_sqlite(rc, msg, path, "open"));
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  try {
    // A truncated or overwritten file: refuse it before anything below writes to it (switching the
    // journal mode writes the header). The check reads every page once (about 2 ms per MB).
    if (!checked(path)) {
      Stmt check = prepare("PRAGMA quick_check");
      std::string verdict = check.step() ? check.text(0) : std::string("no answer");
      // One line: "*** in database main ***\nPage 10: btreeInitPage() returns error code 11".
      if (verdict.rfind("*** in database main ***", 0) == 0) verdict.erase(0, 24);
      std::replace(verdict.begin(), verdict.end(), '\n', ' ');
      verdict.erase(0, verdict.find_first_not_of(' '));
      if (verdict != "ok")
        throw SqliteError(SQLITE_CORRUPT,
                          explain_sqlite(SQLITE_CORRUPT, "quick_check: " + verdict.substr(0, 120), path, ""));
      mark_checked(path);
    }
    // A file SQLite could only open read-only is read as it is (writing to it fails with a
    // ReadOnly error; a scan refuses it up front, see Store).
    if (!immutable && !read_only()) {
      // WAL: readers never block the writer and a killed writer leaves the last committed state.
      // Changing the journal mode needs a moment of exclusive access; the busy handler covers it.
      // Switching a new database to WAL takes an exclusive lock, and SQLite reports a conflict with
      // another connection doing the same as SQLITE_BUSY without calling the busy handler: retry.
      std::string mode;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
      for (int attempt = 0;; ++attempt) {
        try {
          mode = scalar_text("PRAGMA journal_mode=WAL");
          break;
        } catch (const SqliteError& e) {
          int primary = e.code() & 0xff;
          if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || std::chrono::steady_clock::now() > deadline)
            throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(5 + (attempt % 8) * 5));
        }
      }
      if (mode != "wal")
        throw SqliteError(SQLITE_ERROR, fmt::format("{}: cannot enable WAL (journal mode {})", path, mode));
      exec("PRAGMA synchronous=NORMAL;");
    }
    exec("PRAGMA foreign_keys=ON;");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Db::~Db() { sqlite3_close_v2(db_); }

void Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(rc, explain_sqlite(rc, msg, path_, fmt::format("exec `{}`", sql.substr(0, 80))));
  }
}

std::optional<int64_t> Db::scalar_i64(std::string_view sql) {
  Stmt s = prepare(sql);
  if (!s.step() || s.is_null(0)) return std::nullopt;
  return s.i64(0);
}

std::string Db::scalar_text(std::string_view sql) {
  Stmt s = prepare(sql);
  return s.step() ? s.text(0) : std::string();
}

Transaction::Transaction(Db& db, Kind k) : db_(db) { db_.exec(k == Immediate ? "BEGIN IMMEDIATE" : "BEGIN"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace archscan::store
