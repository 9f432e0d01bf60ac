#include "store/store.h"

#include <fmt/chrono.h>
#include <fmt/core.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace archscan::store {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kAutoAuthor = "archscan";

std::string iso8601(std::chrono::system_clock::time_point tp) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", tm, static_cast<int>(ms % 1000));
}

// Lines of `text` without their terminators; line n is result[n - 1].
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Keeps at most `max` bytes without cutting a UTF-8 sequence.
std::string clip(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  s += "…";
  return s;
}

std::vector<std::string> json_strings(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

Review read_review(Stmt& s, int c) {
  Review r;
  r.id = s.i64(c);
  r.fingerprint = s.text(c + 1);
  parse_review_state(s.text(c + 2), r.state);
  r.reason = s.text(c + 3);
  r.author = s.text(c + 4);
  r.at = s.text(c + 5);
  r.run_id = s.is_null(c + 6) ? 0 : s.i64(c + 6);
  return r;
}

constexpr const char* kReviewCols = "id, fingerprint, state, reason, author, at, run_id";

RunInfo read_run(Stmt& s) {
  RunInfo r;
  r.id = s.i64(0);
  r.started_at = s.text(1);
  r.finished_at = s.text(2);
  r.tool_version = s.text(3);
  r.ruleset_hash = s.text(4);
  r.rules = json_strings(s.text(5));
  r.root = s.text(6);
  r.arguments = json_strings(s.text(7));
  r.seconds = s.f64(8);
  r.finding_count = s.i64(9);
  r.shard = s.text(10);
  return r;
}

constexpr const char* kRunCols =
    "id, started_at, finished_at, tool_version, ruleset_hash, rules, root, arguments, seconds, "
    "finding_count, shard";

}  // namespace

const char* to_string(ReviewState s) {
  switch (s) {
    case ReviewState::Open:
      return "open";
    case ReviewState::Confirmed:
      return "confirmed";
    case ReviewState::FalsePositive:
      return "false_positive";
    case ReviewState::WontFix:
      return "wont_fix";
    case ReviewState::Fixed:
      return "fixed";
  }
  return "open";
}

bool parse_review_state(std::string_view s, ReviewState& out) {
  for (ReviewState st : all_review_states())
    if (s == to_string(st)) {
      out = st;
      return true;
    }
  return false;
}

std::vector<ReviewState> all_review_states() {
  return {ReviewState::Open, ReviewState::Confirmed, ReviewState::FalsePositive, ReviewState::WontFix,
          ReviewState::Fixed};
}

std::string review_suppression_reason(const Review& r) {
  return r.reason.empty() ? std::string(to_string(r.state)) : fmt::format("{}: {}", to_string(r.state), r.reason);
}

std::string now_iso8601() { return iso8601(std::chrono::system_clock::now()); }

std::string default_author() {
  if (const char* a = std::getenv("ARCHSCAN_AUTHOR"); a && *a) return a;
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  if (const char* u = std::getenv("USER"); u && *u) return u;
  return "unknown";
}

std::string Store::default_path(const std::string& root) {
  return (fs::path(root) / ".archscan" / "archscan.db").string();
}

std::string Store::find_default(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return {};
  for (;;) {
    fs::path candidate = dir / ".archscan" / "archscan.db";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return {};
    dir = dir.parent_path();
  }
}

std::string Store::locate(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (!fs::exists(explicit_path)) throw std::runtime_error(fmt::format("no archscan database at {}", explicit_path));
    return explicit_path;
  }
  std::string found = find_default(fs::current_path().string());
  if (found.empty())
    throw std::runtime_error(
        "no .archscan/archscan.db in this directory or above it: run `archscan scan` first or pass --db PATH");
  return found;
}

Store::Store(const std::string& path, bool create) {
  std::error_code ec;
  if (create) {
    fs::path dir = fs::path(path).parent_path();
    if (!dir.empty() && !fs::exists(dir, ec)) {
      fs::create_directories(dir, ec);
      if (ec)
        throw SqliteError(SQLITE_CANTOPEN,
                          fmt::format("cannot create its directory {} ({}): record elsewhere with --db PATH, or scan "
                                      "with --no-db",
                                      dir.string(), ec.message()));
      // The default location lives inside the scanned tree: keep it out of version control.
      if (dir.filename() == ".archscan") std::ofstream(dir / ".gitignore") << "*\n";
    }
    // A scan writes: refuse a file it may not write before SQLite opens it (read-only, it would
    // fail only at the end of the scan, and leave -wal and -shm files behind).
    if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0)
      throw SqliteError(SQLITE_READONLY, explain_sqlite(SQLITE_READONLY, std::strerror(errno), path, ""));
  } else if (!fs::exists(path, ec)) {
    throw std::runtime_error(fmt::format("no archscan database at {} (run `archscan scan` first)", path));
  }
  db_ = std::make_unique<Db>(path, create, kBusyTimeoutMs);
  if (create && db_->read_only())
    throw SqliteError(SQLITE_READONLY, explain_sqlite(SQLITE_READONLY, "opened read-only", path, ""));
  migrate();
}

RecordOutcome Store::record_run(const ScanResult& r, const RunMeta& meta) {
  RecordOutcome out;
  const auto now = std::chrono::system_clock::now();
  const auto started = now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                 std::chrono::duration<double>(std::max(0.0, r.seconds)));
  std::vector<std::string> rules = meta.rules;
  std::sort(rules.begin(), rules.end());
  const std::unordered_set<std::string> active(rules.begin(), rules.end());

  Transaction tx(*db_);

  db_->prepare(
         "INSERT INTO runs (started_at, finished_at, tool_version, ruleset_hash, rules, root, "
         "arguments, seconds, shard) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(iso8601(started), iso8601(now), meta.tool_version, meta.ruleset_hash, json(rules).dump(), r.root,
                json(r.arguments).dump(), r.seconds)
      .bind_opt(9, r.shard)
      .run();
  const int64_t run_id = db_->last_insert_id();
  out.run_id = run_id;

  std::unordered_map<std::string, std::string> file_status;
  {
    Stmt ins = db_->prepare(
        "INSERT OR REPLACE INTO files (run_id, path, content_hash, language, status, message, mode) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const FileReport& f : r.files) {
      ins.bind(1, run_id).bind(2, f.path).bind_opt(3, f.content_hash).bind_opt(4, f.language);
      ins.bind(5, f.status.empty() ? "ok" : f.status).bind_opt(6, f.message).bind_opt(7, f.mode);
      ins.run();
      file_status[f.path] = f.status.empty() ? "ok" : f.status;
    }
  }

  // Source lines per file, for snippets and trace steps.
  std::unordered_map<std::string, std::vector<std::string_view>> lines;
  auto file_lines = [&](const std::string& path) -> const std::vector<std::string_view>& {
    auto it = lines.find(path);
    if (it != lines.end()) return it->second;
    std::string_view text = meta.source ? meta.source(path) : std::string_view();
    return lines.emplace(path, split_lines(text)).first->second;
  };

  std::unordered_map<std::string, int64_t> finding_ids;
  {
    Stmt upsert = db_->prepare(R"sql(
INSERT INTO findings (root, fingerprint, rule, taxonomy, severity, path, line, col, end_line, end_col,
                      message, scope, module, trace, snippet, snippet_line, first_run, last_run)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)
ON CONFLICT (root, fingerprint) DO UPDATE SET
  rule = excluded.rule, taxonomy = excluded.taxonomy, severity = excluded.severity,
  path = excluded.path, line = excluded.line, col = excluded.col, end_line = excluded.end_line,
  end_col = excluded.end_col, message = excluded.message, scope = excluded.scope,
  module = excluded.module, trace = excluded.trace, snippet = excluded.snippet,
  snippet_line = excluded.snippet_line, last_run = excluded.last_run
RETURNING id)sql");
    Stmt link = db_->prepare(
        "INSERT OR IGNORE INTO run_findings (run_id, finding_id, suppression, suppression_reason) "
        "VALUES (?, ?, ?, ?)");
    for (const Finding& f : r.findings) {
      if (f.fingerprint.empty())
        throw std::runtime_error(fmt::format("finding {} at {}:{} has no fingerprint", f.rule, f.path, f.line));
      const auto& src = file_lines(f.path);
      json trace = json::array();
      for (const TraceStep& t : f.trace) {
        json step = {{"path", t.path}, {"line", t.line}, {"column", t.column}, {"role", t.role}, {"note", t.note}};
        const auto& tl = file_lines(t.path);
        if (t.line >= 1 && static_cast<size_t>(t.line) <= tl.size())
          step["text"] = clip(trim(tl[static_cast<size_t>(t.line - 1)]), 240);
        trace.push_back(std::move(step));
      }
      std::string snippet;
      int snippet_line = 0;
      if (f.line >= 1 && static_cast<size_t>(f.line) <= src.size()) {
        int last = std::max(f.line, f.end_line);
        last = std::min({last, f.line + 30, static_cast<int>(src.size())});
        snippet_line = std::max(1, f.line - 2);
        int end = std::min(static_cast<int>(src.size()), last + 2);
        for (int l = snippet_line; l <= end; ++l) {
          snippet += clip(std::string(src[static_cast<size_t>(l - 1)]), 400);
          snippet += '\n';
        }
      }
      upsert.bind(1, r.root).bind(2, f.fingerprint).bind(3, f.rule).bind_opt(4, f.taxonomy);
      upsert.bind(5, to_string(f.severity)).bind(6, f.path).bind(7, f.line).bind(8, f.column);
      upsert.bind(9, f.end_line).bind(10, f.end_column).bind(11, f.message).bind_opt(12, f.scope);
      upsert.bind_opt(13, f.module)
          .bind(14, trace.dump(-1, ' ', false, json::error_handler_t::replace))
          .bind_opt(15, snippet);
      if (snippet.empty())
        upsert.bind_null(16);
      else
        upsert.bind(16, snippet_line);
      upsert.bind(17, run_id);
      if (!upsert.step()) throw std::runtime_error("upsert returned no id");
      int64_t id = upsert.i64(0);
      upsert.reset();
      finding_ids.emplace(f.fingerprint, id);
      link.bind(1, run_id).bind(2, id).bind_opt(3, f.suppression).bind_opt(4, f.suppression_reason);
      link.run();
    }
  }

  // The previous run on this root.
  {
    Stmt prev = db_->prepare("SELECT max(id) FROM runs WHERE root = ? AND id < ?");
    prev.bind_all(r.root, run_id);
    if (prev.step() && !prev.is_null(0)) out.previous_run_id = prev.i64(0);
  }
  if (out.previous_run_id) out.previous_fingerprints = run_fingerprints(out.previous_run_id);

  const std::string at = iso8601(now);
  Stmt add =
      db_->prepare("INSERT INTO reviews (fingerprint, state, reason, author, at, run_id) VALUES (?, ?, ?, ?, ?, ?)");
  auto append = [&](const std::string& fp, ReviewState st, const std::string& reason) {
    add.bind_all(fp, to_string(st), reason, kAutoAuthor, at, run_id).run();
    Review rv;
    rv.id = db_->last_insert_id();
    rv.fingerprint = fp;
    rv.state = st;
    rv.reason = reason;
    rv.author = kAutoAuthor;
    rv.at = at;
    rv.run_id = run_id;
    return rv;
  };

  // Reopen fixed findings that came back; collect the current state of the others.
  for (const Finding& f : r.findings) {
    if (out.state.count(f.fingerprint)) continue;
    Review cur = current_review(f.fingerprint);
    if (cur.state == ReviewState::Fixed) {
      cur = append(f.fingerprint, ReviewState::Open, fmt::format("reappeared in run {}", run_id));
      ++out.reopened;
    }
    out.state.emplace(f.fingerprint, std::move(cur));
  }
  // Record which findings this run hid because of a dismissal.
  {
    Stmt hide = db_->prepare(
        "UPDATE run_findings SET suppression = 'review', suppression_reason = ? "
        "WHERE run_id = ? AND finding_id = ? AND suppression IS NULL");
    for (const Finding& f : r.findings) {
      const Review& rv = out.state.at(f.fingerprint);
      if (!is_dismissed(rv.state) || !f.suppression.empty()) continue;
      hide.bind_all(review_suppression_reason(rv), run_id, finding_ids.at(f.fingerprint)).run();
    }
  }

  // Mark as fixed the open or confirmed findings of this root that this run no longer reports,
  // when the run analysed their file completely (or the file is gone) with their rule enabled, and
  // no other root's latest run still reports them.
  {
    Stmt gone = db_->prepare(R"sql(
SELECT f.fingerprint, f.path, f.rule,
       (SELECT state FROM reviews v WHERE v.fingerprint = f.fingerprint ORDER BY v.id DESC LIMIT 1)
FROM findings f
WHERE f.root = ?1 AND f.last_run < ?2
  AND NOT EXISTS (SELECT 1 FROM findings g
                  WHERE g.fingerprint = f.fingerprint AND g.root <> f.root
                    AND g.last_run = (SELECT max(id) FROM runs WHERE runs.root = g.root)))sql");
    gone.bind_all(r.root, run_id);
    std::vector<std::string> to_fix;
    while (gone.step()) {
      std::string state = gone.is_null(3) ? "open" : gone.text(3);
      if (state != "open" && state != "confirmed") continue;
      if (!active.count(gone.text(2))) continue;
      const std::string path = gone.text(1);
      auto fs_it = file_status.find(path);
      bool analysed = fs_it != file_status.end() && fs_it->second == "ok";
      std::error_code ec;
      bool deleted = fs_it == file_status.end() && !r.root.empty() && !fs::exists(fs::path(r.root) / path, ec) && !ec;
      if (analysed || deleted) to_fix.push_back(gone.text(0));
    }
    std::sort(to_fix.begin(), to_fix.end());
    to_fix.erase(std::unique(to_fix.begin(), to_fix.end()), to_fix.end());
    for (const std::string& fp : to_fix) {
      if (out.state.count(fp)) continue;  // reported in this run under another root entry
      append(fp, ReviewState::Fixed, fmt::format("no longer reported by run {}", run_id));
      ++out.fixed;
    }
  }

  db_->prepare("UPDATE runs SET finding_count = (SELECT count(*) FROM run_findings WHERE run_id = ?1) WHERE id = ?1")
      .bind(1, run_id)
      .run();
  tx.commit();
  return out;
}

std::vector<std::string> Store::resolve_fingerprint(const std::string& prefix) {
  std::vector<std::string> out;
  if (prefix.empty()) return out;
  Stmt s = db_->prepare(
      "SELECT DISTINCT fingerprint FROM findings WHERE substr(fingerprint, 1, length(?1)) = ?1 "
      "ORDER BY fingerprint");
  s.bind(1, prefix);
  while (s.step()) out.push_back(s.text(0));
  return out;
}

Review Store::add_review(const std::string& fingerprint, ReviewState state, const std::string& reason,
                         const std::string& author) {
  if (needs_reason(state) && trim(reason).empty())
    throw std::invalid_argument(fmt::format("a reason is required to set {}", to_string(state)));
  Transaction tx(*db_);
  Stmt known = db_->prepare("SELECT 1 FROM findings WHERE fingerprint = ? LIMIT 1");
  known.bind(1, fingerprint);
  if (!known.step()) throw std::invalid_argument(fmt::format("unknown fingerprint {}", fingerprint));
  Review rv;
  rv.fingerprint = fingerprint;
  rv.state = state;
  rv.reason = trim(reason);
  rv.author = author.empty() ? default_author() : author;
  rv.at = now_iso8601();
  Stmt ins = db_->prepare("INSERT INTO reviews (fingerprint, state, reason, author, at) VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, fingerprint).bind(2, to_string(state)).bind_opt(3, rv.reason).bind(4, rv.author).bind(5, rv.at);
  ins.run();
  rv.id = db_->last_insert_id();
  tx.commit();
  return rv;
}

Review Store::current_review(const std::string& fingerprint) {
  Stmt s =
      db_->prepare(fmt::format("SELECT {} FROM reviews WHERE fingerprint = ? ORDER BY id DESC LIMIT 1", kReviewCols));
  s.bind(1, fingerprint);
  if (s.step()) return read_review(s, 0);
  Review r;
  r.fingerprint = fingerprint;
  return r;
}

std::vector<Review> Store::history(const std::string& fingerprint) {
  std::vector<Review> out;
  Stmt s = db_->prepare(fmt::format("SELECT {} FROM reviews WHERE fingerprint = ? ORDER BY id", kReviewCols));
  s.bind(1, fingerprint);
  while (s.step()) out.push_back(read_review(s, 0));
  return out;
}

std::vector<StoredFinding> Store::findings(const FindingQuery& q) {
  Transaction tx(*db_, Transaction::Deferred);  // one consistent snapshot
  Stmt s = db_->prepare(R"sql(
SELECT f.id, f.root, f.fingerprint, f.rule, f.taxonomy, f.severity, f.path, f.line, f.col, f.end_line,
       f.end_col, f.message, f.scope, f.module, f.trace, f.snippet, f.snippet_line, f.first_run,
       f.last_run, r1.started_at, r2.started_at, rf.suppression, rf.suppression_reason
FROM findings f
JOIN runs r1 ON r1.id = f.first_run
JOIN runs r2 ON r2.id = f.last_run
LEFT JOIN run_findings rf
  ON rf.finding_id = f.id AND rf.run_id = (CASE WHEN ?1 > 0 THEN ?1 ELSE f.last_run END)
WHERE (?1 = 0 OR rf.run_id IS NOT NULL) AND (?2 = '' OR f.root = ?2)
ORDER BY f.root, f.path, f.line, f.col, f.rule, f.fingerprint)sql");
  s.bind(1, q.run_id).bind(2, q.root);
  std::vector<StoredFinding> out;
  while (s.step()) {
    StoredFinding sf;
    sf.id = s.i64(0);
    sf.root = s.text(1);
    Finding& f = sf.finding;
    f.fingerprint = s.text(2);
    f.rule = s.text(3);
    if (!q.rules.empty() && std::find(q.rules.begin(), q.rules.end(), f.rule) == q.rules.end()) continue;
    f.taxonomy = s.text(4);
    parse_severity(s.text(5), f.severity);
    f.path = s.text(6);
    f.line = static_cast<int>(s.i64(7));
    f.column = static_cast<int>(s.i64(8));
    f.end_line = static_cast<int>(s.i64(9));
    f.end_column = static_cast<int>(s.i64(10));
    f.message = s.text(11);
    f.scope = s.text(12);
    f.module = s.text(13);
    json trace = json::parse(s.text(14), nullptr, false);
    if (trace.is_array())
      for (const json& t : trace) {
        TraceStep st;
        st.path = t.value("path", "");
        st.line = t.value("line", 0);
        st.column = t.value("column", 0);
        st.role = t.value("role", "");
        st.note = t.value("note", "");
        f.trace.push_back(std::move(st));
        sf.trace_text.push_back(t.value("text", ""));
      }
    sf.snippet = s.text(15);
    sf.snippet_line = s.is_null(16) ? 0 : static_cast<int>(s.i64(16));
    sf.first_run = s.i64(17);
    sf.last_run = s.i64(18);
    sf.first_seen = s.text(19);
    sf.last_seen = s.text(20);
    f.suppression = s.text(21);
    f.suppression_reason = s.text(22);
    sf.review = current_review(f.fingerprint);
    if (!q.states.empty() && std::find(q.states.begin(), q.states.end(), sf.review.state) == q.states.end()) continue;
    out.push_back(std::move(sf));
  }
  return out;
}

std::optional<RunInfo> Store::latest_run(const std::string& root) {
  Stmt s =
      db_->prepare(fmt::format("SELECT {} FROM runs WHERE (?1 = '' OR root = ?1) ORDER BY id DESC LIMIT 1", kRunCols));
  s.bind(1, root);
  if (!s.step()) return std::nullopt;
  return read_run(s);
}

std::optional<RunInfo> Store::run(int64_t id) {
  Stmt s = db_->prepare(fmt::format("SELECT {} FROM runs WHERE id = ?", kRunCols));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_run(s);
}

std::vector<RunInfo> Store::runs(const std::string& root) {
  Stmt s = db_->prepare(fmt::format("SELECT {} FROM runs WHERE (?1 = '' OR root = ?1) ORDER BY id", kRunCols));
  s.bind(1, root);
  std::vector<RunInfo> out;
  while (s.step()) out.push_back(read_run(s));
  return out;
}

std::vector<StoredFile> Store::files(int64_t run_id) {
  Stmt s = db_->prepare(
      "SELECT path, content_hash, language, status, message, mode FROM files WHERE run_id = ? ORDER BY path");
  s.bind(1, run_id);
  std::vector<StoredFile> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  return out;
}

std::unordered_set<std::string> Store::run_fingerprints(int64_t run_id) {
  Stmt s = db_->prepare(
      "SELECT f.fingerprint FROM run_findings rf JOIN findings f ON f.id = rf.finding_id WHERE rf.run_id = ?");
  s.bind(1, run_id);
  std::unordered_set<std::string> out;
  while (s.step()) out.insert(s.text(0));
  return out;
}

}  // namespace archscan::store
