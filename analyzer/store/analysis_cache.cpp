#include "store/analysis_cache.h"

#include <fmt/core.h>

#include <map>
#include <nlohmann/json.hpp>

namespace archscan::store {
using nlohmann::json;

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::vector<std::string> strings(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

// Every field of a Finding: a cached finding is reported exactly as the analysis produced it.
json finding_to_json(const Finding& f) {
  json trace = json::array();
  for (const TraceStep& t : f.trace)
    trace.push_back({{"path", t.path}, {"line", t.line}, {"column", t.column}, {"role", t.role}, {"note", t.note}});
  return {{"rule", f.rule},
          {"taxonomy", f.taxonomy},
          {"severity", static_cast<int>(f.severity)},
          {"path", f.path},
          {"line", f.line},
          {"column", f.column},
          {"end_line", f.end_line},
          {"end_column", f.end_column},
          {"message", f.message},
          {"scope", f.scope},
          {"module", f.module},
          {"trace", std::move(trace)},
          {"snippet", f.snippet},
          {"fingerprint", f.fingerprint},
          {"suppression", f.suppression},
          {"suppression_reason", f.suppression_reason}};
}

Finding finding_from_json(const json& j) {
  Finding f;
  f.rule = j.value("rule", "");
  f.taxonomy = j.value("taxonomy", "");
  f.severity = static_cast<Severity>(j.value("severity", 1));
  f.path = j.value("path", "");
  f.line = j.value("line", 0);
  f.column = j.value("column", 0);
  f.end_line = j.value("end_line", 0);
  f.end_column = j.value("end_column", 0);
  f.message = j.value("message", "");
  f.scope = j.value("scope", "");
  f.module = j.value("module", "");
  if (auto it = j.find("trace"); it != j.end() && it->is_array())
    for (const json& t : *it)
      f.trace.push_back(
          {t.value("path", ""), t.value("line", 0), t.value("column", 0), t.value("role", ""), t.value("note", "")});
  f.snippet = j.value("snippet", "");
  f.fingerprint = j.value("fingerprint", "");
  f.suppression = j.value("suppression", "");
  f.suppression_reason = j.value("suppression_reason", "");
  return f;
}

void delete_path(Db& db, const std::string& root, const std::string& path) {
  db.prepare("DELETE FROM cache_files WHERE root = ? AND path = ?").bind_all(root, path).run();
  db.prepare("DELETE FROM cache_findings WHERE root = ? AND path = ?").bind_all(root, path).run();
}

}  // namespace

CacheSnapshot AnalysisCache::load(const std::string& root) {
  CacheSnapshot snap;
  Transaction tx(db_, Transaction::Deferred);  // one consistent snapshot
  Stmt r = db_.prepare("SELECT key, generation FROM cache_roots WHERE root = ?");
  r.bind(1, root);
  if (!r.step()) return snap;
  snap.key = r.text(0);
  snap.generation = r.i64(1);
  Stmt s = db_.prepare(
      "SELECT path, content_hash, language, module_name, status, message, mode, imports, refs, deps "
      "FROM cache_files WHERE root = ?");
  s.bind(1, root);
  while (s.step()) {
    CachedFile f{s.text(0),         s.text(1), s.text(2), s.text(3),
                 s.text(4),         s.text(5), s.text(6), {strings(s.text(7)), strings(s.text(8))},
                 strings(s.text(9))};
    std::string path = f.path;
    snap.files.emplace(std::move(path), std::move(f));
  }
  return snap;
}

std::vector<Finding> AnalysisCache::findings(const std::string& root, const std::vector<std::string>& paths) {
  std::vector<Finding> out;
  Transaction tx(db_, Transaction::Deferred);
  Stmt s = db_.prepare("SELECT finding FROM cache_findings WHERE root = ? AND path = ? ORDER BY ord");
  for (const std::string& p : paths) {
    s.bind(1, root).bind(2, p);
    while (s.step()) out.push_back(finding_from_json(json::parse(s.text(0), nullptr, false)));
    s.reset();
  }
  return out;
}

bool AnalysisCache::save(const std::string& root, const CacheUpdate& u) {
  Transaction tx(db_);
  Stmt g = db_.prepare("SELECT generation FROM cache_roots WHERE root = ?");
  g.bind(1, root);
  const int64_t current = g.step() ? g.i64(0) : -1;
  if (current != u.read_generation) return false;  // another scan of this root wrote meanwhile

  if (u.replace_all) {
    db_.prepare("DELETE FROM cache_files WHERE root = ?").bind(1, root).run();
    db_.prepare("DELETE FROM cache_findings WHERE root = ?").bind(1, root).run();
  }
  for (const std::string& p : u.removed) delete_path(db_, root, p);

  Stmt file = db_.prepare(
      "INSERT INTO cache_files (root, path, content_hash, language, module_name, status, message, mode, "
      "imports, refs, deps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const CachedFile& f : u.files) {
    delete_path(db_, root, f.path);
    file.bind_all(root, f.path, f.content_hash, f.language, f.module_name, f.status, f.message, f.mode,
                  dump(json(f.refs.imports)), dump(json(f.refs.names)), dump(json(f.deps)));
    file.run();
  }
  Stmt finding = db_.prepare("INSERT INTO cache_findings (root, path, ord, finding) VALUES (?, ?, ?, ?)");
  std::map<std::string, int> ord;
  for (const Finding& f : u.findings) finding.bind_all(root, f.path, ord[f.path]++, dump(finding_to_json(f))).run();

  db_.prepare(
         "INSERT INTO cache_roots (root, key, generation) VALUES (?1, ?2, 0) "
         "ON CONFLICT (root) DO UPDATE SET key = excluded.key, generation = generation + 1")
      .bind_all(root, u.key)
      .run();
  tx.commit();
  return true;
}

void AnalysisCache::drop(const std::string& root) {
  Transaction tx(db_);
  for (const char* table : {"cache_roots", "cache_files", "cache_findings"})
    db_.prepare(fmt::format("DELETE FROM {} WHERE root = ?", table)).bind(1, root).run();
  tx.commit();
}

}  // namespace archscan::store
