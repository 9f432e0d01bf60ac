#include "store/merge.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "store/store.h"

namespace archscan::store {
namespace fs = std::filesystem;

namespace {

struct InputRun {
  size_t db = 0;
  RunInfo info;
};

// A run of the result and the input runs it stands for.
struct OutputRun {
  RunInfo info;
  std::vector<std::pair<size_t, int64_t>> sources;  // (input, run id there)
};

struct ReviewRow {
  std::string fingerprint, state, reason, author, at;
  int64_t run = 0;  // in the result; 0 = none
};

struct CacheRoot {
  size_t db = 0;
  std::string root, key;
  int64_t generation = 0;
  std::string newest_run;  // finished_at of the input's newest run on that root
};

// "K/N" -> (K, N); (-1, 0) when malformed.
std::pair<int, int> parse_shard_text(const std::string& s) {
  int k = -1, n = 0;
  const size_t slash = s.find('/');
  if (slash == std::string::npos) return {-1, 0};
  auto num = [](std::string_view t, int& v) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc() && p == t.data() + t.size();
  };
  if (!num(std::string_view(s).substr(0, slash), k) || !num(std::string_view(s).substr(slash + 1), n) || n < 1 ||
      k < 0 || k >= n)
    return {-1, 0};
  return {k, n};
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + '\x1f';
  return out;
}

// Groups shard runs into whole-tree runs; every other run stands alone. Sorted by start.
// `aliases[u]`: the indices into `all` of the input runs that are the same run as unique[u].
std::vector<OutputRun> plan_runs(const std::vector<InputRun>& all, const std::vector<InputRun>& unique,
                                 const std::vector<std::vector<size_t>>& aliases, MergeReport& report) {
  std::vector<OutputRun> out;
  std::vector<char> used(unique.size(), 0);
  auto sources_of = [&](size_t u) {
    std::vector<std::pair<size_t, int64_t>> s;
    for (size_t a : aliases[u]) s.emplace_back(all[a].db, all[a].info.id);
    return s;
  };
  // batch key -> shard index -> runs (by start)
  std::map<std::string, std::map<int, std::vector<size_t>>> batches;
  std::map<std::string, int> batch_n;
  for (size_t u = 0; u < unique.size(); ++u) {
    const RunInfo& r = unique[u].info;
    if (r.shard.empty()) continue;
    auto [k, n] = parse_shard_text(r.shard);
    if (n == 0) continue;
    const std::string key =
        fmt::format("{}\x1e{}\x1e{}\x1e{}\x1e{}", r.root, r.tool_version, r.ruleset_hash, joined(r.rules), n);
    batches[key][k].push_back(u);
    batch_n[key] = n;
  }
  for (auto& [key, by_k] : batches) {
    const int n = batch_n[key];
    for (auto& [k, list] : by_k)
      std::sort(list.begin(), list.end(),
                [&](size_t a, size_t b) { return unique[a].info.started_at < unique[b].info.started_at; });
    size_t complete = static_cast<int>(by_k.size()) == n ? SIZE_MAX : 0;
    for (auto& [k, list] : by_k) complete = std::min(complete, list.size());
    if (complete == SIZE_MAX) complete = 0;
    for (size_t i = 0; i < complete; ++i) {
      OutputRun o;
      for (int k = 0; k < n; ++k) {
        const size_t u = by_k[k][i];
        const RunInfo& r = unique[u].info;
        used[u] = 1;
        ++report.shard_runs;
        if (k == 0) {
          o.info = r;
          o.info.shard.clear();
          o.info.seconds = 0;
        }
        o.info.started_at = std::min(o.info.started_at, r.started_at);
        o.info.finished_at = std::max(o.info.finished_at, r.finished_at);
        o.info.seconds += r.seconds;
        for (auto& s : sources_of(u)) o.sources.push_back(s);
      }
      ++report.combined_runs;
      out.push_back(std::move(o));
    }
    size_t left = 0;
    for (auto& [k, list] : by_k) left += list.size() - complete;
    if (left > 0) {
      std::string missing;
      for (int k = 0; k < n; ++k)
        if (!by_k.count(k) || by_k[k].size() <= complete) missing += (missing.empty() ? "" : ",") + std::to_string(k);
      report.notes.push_back(
          fmt::format("{} shard run(s) of {} in {} shards kept as they are: no run of shard(s) {} to complete them",
                      left, unique[by_k.begin()->second.front()].info.root, n, missing));
    }
  }
  for (size_t u = 0; u < unique.size(); ++u)
    if (!used[u]) out.push_back({unique[u].info, sources_of(u)});
  std::stable_sort(out.begin(), out.end(), [](const OutputRun& a, const OutputRun& b) {
    return std::tie(a.info.started_at, a.info.finished_at, a.info.root) <
           std::tie(b.info.started_at, b.info.finished_at, b.info.root);
  });
  return out;
}

// Attaches one input as `src` for the duration of a scope (ATTACH cannot run inside a transaction).
class Attached {
 public:
  Attached(Db& db, const std::string& path) : db_(db) { db_.prepare("ATTACH DATABASE ? AS src").bind(1, path).run(); }
  ~Attached() {
    try {
      db_.exec("DETACH DATABASE src");
    } catch (...) {
    }
  }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  Db& db_;
};

void copy_rows(Db& db, size_t input) {
  db.prepare(R"sql(
INSERT OR IGNORE INTO main.files (run_id, path, content_hash, language, status, message, mode)
SELECT m.out, f.path, f.content_hash, f.language, f.status, f.message, f.mode
FROM src.files f JOIN temp.run_map m ON m.db = ?1 AND m.src = f.run_id)sql")
      .bind(1, static_cast<int64_t>(input))
      .run();
  // Text of the latest sighting; first and last runs across every input.
  const char* cols[] = {"rule",    "taxonomy", "severity", "path",   "line",  "col",     "end_line",
                        "end_col", "message",  "scope",    "module", "trace", "snippet", "snippet_line"};
  std::string set = "first_run = min(findings.first_run, excluded.first_run)";
  for (const char* c : cols)
    set += fmt::format(
        ", {0} = CASE WHEN excluded.last_run > findings.last_run THEN excluded.{0} ELSE findings.{0} END", c);
  set += ", last_run = max(findings.last_run, excluded.last_run)";
  db.prepare(fmt::format(R"sql(
INSERT INTO main.findings (root, fingerprint, rule, taxonomy, severity, path, line, col, end_line, end_col,
                           message, scope, module, trace, snippet, snippet_line, first_run, last_run)
SELECT f.root, f.fingerprint, f.rule, f.taxonomy, f.severity, f.path, f.line, f.col, f.end_line, f.end_col,
       f.message, f.scope, f.module, f.trace, f.snippet, f.snippet_line, m1.out, m2.out
FROM src.findings f
JOIN temp.run_map m1 ON m1.db = ?1 AND m1.src = f.first_run
JOIN temp.run_map m2 ON m2.db = ?1 AND m2.src = f.last_run
WHERE true
ON CONFLICT (root, fingerprint) DO UPDATE SET {})sql",
                         set))
      .bind(1, static_cast<int64_t>(input))
      .run();
  db.prepare(R"sql(
INSERT OR IGNORE INTO main.run_findings (run_id, finding_id, suppression, suppression_reason)
SELECT m.out, o.id, rf.suppression, rf.suppression_reason
FROM src.run_findings rf
JOIN temp.run_map m ON m.db = ?1 AND m.src = rf.run_id
JOIN src.findings f ON f.id = rf.finding_id
JOIN main.findings o ON o.root = f.root AND o.fingerprint = f.fingerprint)sql")
      .bind(1, static_cast<int64_t>(input))
      .run();
}

// The cache rows of `root` in the attached input that the result does not have yet.
void copy_cache(Db& db, const std::string& root) {
  db.exec("DELETE FROM temp.cache_new");
  db.prepare(R"sql(
INSERT INTO temp.cache_new (root, path)
SELECT c.root, c.path FROM src.cache_files c
WHERE c.root = ?1 AND NOT EXISTS (SELECT 1 FROM main.cache_files o WHERE o.root = c.root AND o.path = c.path))sql")
      .bind(1, root)
      .run();
  db.exec(R"sql(
INSERT INTO main.cache_files (root, path, content_hash, language, module_name, status, message, mode, imports,
                              refs, deps)
SELECT c.root, c.path, c.content_hash, c.language, c.module_name, c.status, c.message, c.mode, c.imports, c.refs,
       c.deps
FROM src.cache_files c JOIN temp.cache_new n ON n.root = c.root AND n.path = c.path)sql");
  db.exec(R"sql(
INSERT INTO main.cache_findings (root, path, ord, finding)
SELECT f.root, f.path, f.ord, f.finding
FROM src.cache_findings f JOIN temp.cache_new n ON n.root = f.root AND n.path = f.path)sql");
}

void remove_database_files(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

}  // namespace

MergeReport merge_databases(const std::vector<std::string>& given, const std::string& output) {
  MergeReport report;
  std::vector<std::string> paths;
  std::error_code ec;
  auto same_file = [&](const std::string& a, const std::string& b) {
    std::error_code e;
    return fs::equivalent(a, b, e);
  };
  if (fs::exists(output, ec)) paths.push_back(output);
  for (const auto& p : given)
    if (std::none_of(paths.begin(), paths.end(), [&](const std::string& q) { return same_file(p, q); }))
      paths.push_back(p);
  if (paths.empty()) throw std::runtime_error("nothing to merge: give the databases to combine");
  report.inputs = static_cast<int>(paths.size());

  // Read what must be planned as a whole: runs, reviews, cache roots. Opening an input checks it
  // (a damaged file is refused and left alone) and brings an older schema up to date.
  std::vector<InputRun> all;
  std::vector<std::vector<ReviewRow>> reviews(paths.size());
  std::vector<CacheRoot> caches;
  for (size_t i = 0; i < paths.size(); ++i) {
    try {
      Store st(paths[i], false);
      for (RunInfo& r : st.runs()) all.push_back({i, std::move(r)});
      Stmt rv = st.db().prepare("SELECT fingerprint, state, reason, author, at, run_id FROM reviews ORDER BY id");
      while (rv.step())
        reviews[i].push_back(
            {rv.text(0), rv.text(1), rv.text(2), rv.text(3), rv.text(4), rv.is_null(5) ? 0 : rv.i64(5)});
      Stmt cr = st.db().prepare(
          "SELECT c.root, c.key, c.generation, (SELECT max(finished_at) FROM runs r WHERE r.root = c.root) "
          "FROM cache_roots c ORDER BY c.root");
      while (cr.step()) caches.push_back({i, cr.text(0), cr.text(1), cr.i64(2), cr.text(3)});
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("{}: {}", paths[i], e.what()));
    }
  }

  // The same run in several inputs counts once.
  std::vector<InputRun> unique;
  std::vector<std::vector<size_t>> aliases;  // unique index -> indices into `all`
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>, size_t> seen;
  for (size_t a = 0; a < all.size(); ++a) {
    const RunInfo& r = all[a].info;
    auto key = std::make_tuple(r.started_at, r.finished_at, r.root, joined(r.arguments), r.shard, r.tool_version);
    auto [it, fresh] = seen.emplace(key, unique.size());
    if (fresh) {
      unique.push_back(all[a]);
      aliases.push_back({});
    } else {
      ++report.duplicate_runs;
    }
    aliases[it->second].push_back(a);
  }
  // A whole-tree run made here may be in an input already (merging the same shards again).
  std::vector<OutputRun> planned;
  {
    std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>, size_t> out_seen;
    for (OutputRun& o : plan_runs(all, unique, aliases, report)) {
      const RunInfo& r = o.info;
      auto key = std::make_tuple(r.started_at, r.finished_at, r.root, joined(r.arguments), r.shard, r.tool_version);
      auto [it, fresh] = out_seen.emplace(key, planned.size());
      if (fresh) {
        planned.push_back(std::move(o));
        continue;
      }
      ++report.duplicate_runs;
      auto& into = planned[it->second].sources;
      into.insert(into.end(), o.sources.begin(), o.sources.end());
    }
  }

  const std::string tmp = fmt::format("{}.merging-{}", output, static_cast<long>(::getpid()));
  remove_database_files(tmp);
  try {
    {
      Store out(tmp, true);
      Db& db = out.db();
      db.exec("CREATE TEMP TABLE run_map (db INTEGER, src INTEGER, out INTEGER, PRIMARY KEY (db, src))");
      db.exec("CREATE TEMP TABLE cache_new (root TEXT, path TEXT, PRIMARY KEY (root, path))");
      std::map<std::pair<size_t, int64_t>, int64_t> run_id;  // (input, id there) -> id in the result
      {
        Transaction tx(db);
        Stmt ins = db.prepare(
            "INSERT INTO runs (started_at, finished_at, tool_version, ruleset_hash, rules, root, arguments, seconds, "
            "shard) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        Stmt map = db.prepare("INSERT OR IGNORE INTO temp.run_map (db, src, out) VALUES (?, ?, ?)");
        for (const OutputRun& o : planned) {
          const RunInfo& r = o.info;
          ins.bind_all(r.started_at, r.finished_at, r.tool_version, r.ruleset_hash, nlohmann::json(r.rules).dump(),
                       r.root, nlohmann::json(r.arguments).dump(), r.seconds)
              .bind_opt(9, r.shard)
              .run();
          const int64_t id = db.last_insert_id();
          for (const auto& [input, src] : o.sources) {
            run_id[{input, src}] = id;
            map.bind_all(static_cast<int64_t>(input), src, id).run();
          }
        }
        tx.commit();
      }
      report.runs = static_cast<int64_t>(planned.size());

      for (size_t i = 0; i < paths.size(); ++i) {
        Attached src(db, paths[i]);
        Transaction tx(db);
        copy_rows(db, i);
        tx.commit();
      }

      // Reviews in the order they were made (ties: input order, then their order there).
      std::vector<ReviewRow> merged;
      std::set<std::tuple<std::string, std::string, std::string, std::string, std::string, int64_t>> have;
      for (size_t i = 0; i < paths.size(); ++i)
        for (ReviewRow rv : reviews[i]) {
          auto it = run_id.find({i, rv.run});
          rv.run = rv.run && it != run_id.end() ? it->second : 0;
          if (have.emplace(rv.fingerprint, rv.state, rv.reason, rv.author, rv.at, rv.run).second)
            merged.push_back(std::move(rv));
        }
      std::stable_sort(merged.begin(), merged.end(),
                       [](const ReviewRow& a, const ReviewRow& b) { return a.at < b.at; });
      {
        Transaction tx(db);
        Stmt add = db.prepare(
            "INSERT INTO reviews (fingerprint, state, reason, author, at, run_id) VALUES (?, ?, ?, ?, ?, ?)");
        for (const ReviewRow& rv : merged) {
          add.bind(1, rv.fingerprint).bind(2, rv.state).bind_opt(3, rv.reason);
          add.bind(4, rv.author).bind(5, rv.at);
          if (rv.run)
            add.bind(6, rv.run);
          else
            add.bind_null(6);
          add.run();
        }
        db.exec("UPDATE runs SET finding_count = (SELECT count(*) FROM run_findings WHERE run_id = runs.id)");
        tx.commit();
      }

      // The analysis cache, per root: the entries written with the key of the root's newest run.
      std::map<std::string, std::vector<const CacheRoot*>> by_root;
      for (const CacheRoot& c : caches) by_root[c.root].push_back(&c);
      for (auto& [root, list] : by_root) {
        std::stable_sort(list.begin(), list.end(),
                         [](const CacheRoot* a, const CacheRoot* b) { return a->newest_run > b->newest_run; });
        const std::string key = list.front()->key;
        int64_t generation = 0;
        for (const CacheRoot* c : list) {
          if (c->key != key) {
            report.notes.push_back(fmt::format(
                "analysis cache of {} in {} not kept: written by another archscan build or other options than the "
                "newest run on that root",
                root, paths[c->db]));
            continue;
          }
          generation = std::max(generation, c->generation);
        }
        {
          Transaction tx(db);
          db.prepare("INSERT INTO cache_roots (root, key, generation) VALUES (?, ?, ?)")
              .bind_all(root, key, generation + 1)
              .run();
          tx.commit();
        }
        for (const CacheRoot* c : list) {
          if (c->key != key) continue;
          Attached src(db, paths[c->db]);
          Transaction tx(db);
          copy_cache(db, root);
          tx.commit();
        }
      }
      report.findings = db.scalar_i64("SELECT count(*) FROM findings").value_or(0);
      report.reviews = db.scalar_i64("SELECT count(*) FROM reviews").value_or(0);
      report.cached_files = db.scalar_i64("SELECT count(*) FROM cache_files").value_or(0);
    }
    // Closed: the write-ahead log is folded into the file. Now replace the output in one step.
    fs::rename(tmp, output);
    remove_database_files(tmp);
  } catch (...) {
    remove_database_files(tmp);
    throw;
  }
  return report;
}

}  // namespace archscan::store
