#include "core/pipeline.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "analysis/analyses.h"
#include "base/budget.h"
#include "base/hash.h"
#include "base/parallel.h"
#include "core/active_rules.h"
#include "core/source_reader.h"
#include "findings/fingerprint.h"
#include "findings/precedence.h"
#include "findings/rule.h"
#include "link/linker.h"
#include "store/analysis_cache.h"
#include "store/file_deps.h"
#include "store/incremental.h"
#include "store/store.h"

namespace archscan {
namespace {

std::vector<PostProcessor>& post_processors() {
  static std::vector<PostProcessor> v;
  return v;
}

// One discovered file, read but not lowered yet: fragment file 0 has path, text and module name.
struct Source {
  ir::Program frag;
  std::string hash;
  const frontend::Frontend* fe = nullptr;  // null when there is nothing to lower
  bool lowered = false;
};

// Reads one candidate; never throws. A file found by walking a directory is read only if it
// resolves into `boundaries` (the scanned directories).
Source read_one(const SourceCandidate& c, const ScanOptions& opts, const std::vector<std::string>& boundaries) {
  Source s;
  s.frag.files.emplace_back();
  ir::SourceFile& f = s.frag.files.back();
  f.path = c.rel_path;
  f.abs_path = c.abs_path;
  const frontend::Frontend* fe = frontend::frontend_for(c.abs_path);
  f.language = fe ? fe->language : "unknown";
  if (!c.problem.empty()) {
    f.status = c.skip ? ir::FileStatus::Skipped : ir::FileStatus::Error;
    f.message = c.problem;
    return s;
  }
  if (!fe) {
    f.status = ir::FileStatus::Skipped;
    f.message = "unsupported file type (no front-end reads it)";
    return s;
  }
  ReadResult r = read_source(c.abs_path, opts.max_file_bytes, c.confined ? boundaries : std::vector<std::string>());
  s.hash = r.content_hash;
  if (!r.ok) {
    f.status = r.skipped ? ir::FileStatus::Skipped : ir::FileStatus::Error;
    f.message = r.message;
    return s;
  }
  f.text = std::move(r.text);
  f.line_starts = ir::line_starts(f.text);
  if (f.language == "python") f.module_name = python_module_name(c.abs_path, &f.is_package_init);
  s.fe = fe;
  return s;
}

// A lowered fragment is kept until the scan links it: give back what its vectors grew beyond
// their size while the front-end appended (up to half of each).
void compact(ir::Program& frag) {
  for (ir::Function& f : frag.functions) {
    for (ir::Node& n : f.nodes) {
      n.args.shrink_to_fit();
      n.kwargs.shrink_to_fit();
    }
    f.nodes.shrink_to_fit();
  }
  frag.functions.shrink_to_fit();
  frag.modules.shrink_to_fit();
}

// Lowers a read file into its fragment; never throws.
void lower_one(Source& s, const ScanOptions& opts) {
  if (s.lowered) return;
  s.lowered = true;
  if (opts.progress) ++opts.progress->done;
  if (!s.fe) return;
  const ir::Program unlowered = s.frag;
  const std::string path = s.frag.files[0].path;
  std::string over;  // the over-budget message, when the file went over its budget
  try {
    budget::FileScope scope(path, "parsing", opts.file_timeout);
    s.fe->lower(s.frag, opts.frontend);
    compact(s.frag);
    // A front-end loop that does not poll is caught here, after the fact: what it produced is not
    // analysed (the analysis of a file that big would take as long again).
    if (scope.over()) over = budget::over_budget_message(scope.stage(), scope.seconds());
  } catch (const budget::OverBudget& e) {
    over = budget::over_budget_message(e.stage(), e.seconds());
  } catch (const std::exception& e) {
    s.frag = unlowered;
    s.frag.files[0].status = ir::FileStatus::Error;
    s.frag.files[0].message = fmt::format("internal error while lowering: {}", e.what());
  }
  if (!over.empty()) {
    s.frag = unlowered;
    s.frag.files[0].status = ir::FileStatus::Skipped;
    s.frag.files[0].message = over;
  }
}

void mark(const ScanOptions& opts, const char* phase) {
  if (opts.profile) opts.profile->mark(phase);
}

std::vector<Source> read_all(const std::string& root, const ScanOptions& opts) {
  auto candidates = discover(root, opts.paths, opts.excludes);
  if (opts.shard.active())
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                    [&](const SourceCandidate& c) { return !opts.shard.keeps(c.rel_path); }),
                     candidates.end());
  mark(opts, "discover");
  const std::vector<std::string> boundaries = scan_boundaries(root, opts.paths);
  std::vector<Source> sources(candidates.size());
  parallel_for(candidates.size(), opts.jobs, [&](size_t i) { sources[i] = read_one(candidates[i], opts, boundaries); });
  mark(opts, "read");
  return sources;
}

// Merges and links the lowered fragments of `which` (in discovery order). The fragments are
// moved out: each file is analysed once.
std::shared_ptr<ir::Program> link_program(std::vector<Source>& sources, const std::vector<size_t>& which) {
  auto p = std::make_shared<ir::Program>();
  for (size_t i : which) link::merge(*p, std::move(sources[i].frag));
  link::link(*p);
  return p;
}

std::vector<size_t> every_index(size_t n) {
  std::vector<size_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

// A total order, so that which of several equal-looking findings survives deduplication does not
// depend on the order the rules produced them in (which differs when only part of a tree is
// analysed).
bool finding_before(const Finding& a, const Finding& b) {
  auto key = [](const Finding& f) {
    return std::tie(f.path, f.line, f.column, f.rule, f.message, f.end_line, f.end_column, f.severity, f.taxonomy,
                    f.scope, f.module);
  };
  if (key(a) != key(b)) return key(a) < key(b);
  return std::lexicographical_compare(
      a.trace.begin(), a.trace.end(), b.trace.begin(), b.trace.end(), [](const TraceStep& x, const TraceStep& y) {
        return std::tie(x.path, x.line, x.column, x.role, x.note) < std::tie(y.path, y.line, y.column, y.role, y.note);
      });
}

// Runs the selected rules over a linked program: sorted, deduplicated, fingerprinted findings.
// A rule that throws becomes a FileReport in `rule_errors`.
std::vector<Finding> run_rules(const ir::Program& p, const ScanOptions& opts, std::vector<FileReport>& rule_errors) {
  std::vector<Finding> out;
  Analyses analyses(p, opts.jobs);
  std::vector<const Rule*> rules;
  for (const auto& rule : RuleRegistry::instance().rules())
    if (rule_selected(rule->info(), opts)) rules.push_back(rule.get());
  // The shared input-flow analysis runs once, on every thread, before the rules that read it.
  if (std::any_of(rules.begin(), rules.end(), [](const Rule* r) { return r->info().uses_flow; })) {
    try {
      analyses.flows();
    } catch (const budget::OverBudget& e) {
      budget::record_over_budget(e);
    } catch (const std::exception&) {
      // Each rule that reads the flows meets the error again and reports it as its own.
    }
  }
  mark(opts, "analyse");
  // Rules only read the program and the shared analyses: run them side by side.
  std::vector<std::vector<Finding>> found(rules.size());
  std::vector<std::string> errors(rules.size());
  parallel_for(rules.size(), opts.jobs, [&](size_t i) {
    RuleContext ctx(p, analyses, found[i]);
    try {
      rules[i]->run(ctx);
    } catch (const budget::OverBudget& e) {
      // A file's model went over budget and nothing in the rule stopped it there: the rule's
      // findings so far stand, the file is reported partial.
      budget::record_over_budget(e);
    } catch (const std::exception& e) {
      errors[i] = e.what();
      found[i].clear();
    }
  });
  std::vector<const RuleInfo*> infos;
  for (const Rule* r : rules) infos.push_back(&r->info());
  apply_precedence(infos, found);
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string& id = rules[i]->info().id;
    if (!errors[i].empty()) {
      rule_errors.push_back(
          {"<rule " + id + ">", "", "error", fmt::format("internal error in rule {}: {}", id, errors[i]), "", ""});
      continue;
    }
    for (auto& f : found[i]) {
      if (f.rule.empty()) f.rule = id;
      out.push_back(std::move(f));
    }
  }
  std::sort(out.begin(), out.end(), finding_before);
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Finding& a, const Finding& b) {
                          return a.path == b.path && a.line == b.line && a.column == b.column && a.rule == b.rule &&
                                 a.message == b.message;
                        }),
            out.end());
  assign_fingerprints(out, p);
  attach_snippets(out, p);
  mark(opts, "rules");
  return out;
}

bool run_post_processors(bool per_file, ScanResult& r, const ir::Program& p, const ScanOptions& opts) {
  for (const auto& pp : post_processors()) {
    if (pp.per_file != per_file) continue;
    std::string error;
    // The post-processors' messages stand alone ("findings database X: ..."): no name in front.
    if (!pp.run(r, p, opts, error)) throw std::runtime_error(error.empty() ? pp.name + " failed" : error);
  }
  return true;
}

std::string file_hash(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return "not a regular file";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return hash_hex(s.str());
}

// This build of archscan: the version string does not change with every fix, the executable does
// (its size and modification time; hashing its ~70 MB would cost more than a warm scan).
std::string build_identity() {
  struct stat st {};
  if (stat("/proc/self/exe", &st) != 0) return "unknown";
  return fmt::format("{}:{}:{}.{}", st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

// What cached entries must have been computed with: this very build, the rule set, and every
// option that changes what a file yields.
std::string cache_key(const ScanOptions& o) {
  static const std::string build = build_identity();
  std::string key = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", ARCHSCAN_VERSION, build, review::ruleset_hash(o),
                                o.max_file_bytes, o.frontend.max_depth, o.frontend.compile_commands_dir);
  // Cached findings carry their inline-suppression marks (a per-file post-processor sets them).
  if (o.no_inline_suppressions) key += "\x1fno-inline-suppressions";
  for (const auto& a : o.frontend.extra_args) key += '\x1e' + a;
  if (!o.frontend.compile_commands_dir.empty())
    key +=
        '\x1f' + file_hash((std::filesystem::path(o.frontend.compile_commands_dir) / "compile_commands.json").string());
  return hash_hex(key);
}

// The scan's use of the analysis cache.
struct CacheSession {
  std::string path;  // of the database
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::AnalysisCache> cache;
  store::CacheSnapshot snapshot;
  std::string key;
  bool replace_all = false;
};

std::unique_ptr<CacheSession> open_cache(const std::string& root, const ScanOptions& opts) {
  if (opts.no_db) return nullptr;
  auto s = std::make_unique<CacheSession>();
  const std::string path = opts.db_path.empty() ? store::Store::default_path(root) : opts.db_path;
  try {
    s->store = std::make_unique<store::Store>(path, true);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("findings database {}: {}", path, e.what()));
  }
  s->path = path;
  s->cache = std::make_unique<store::AnalysisCache>(s->store->db());
  s->key = cache_key(opts);
  try {
    s->snapshot = s->cache->load(root);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("findings database {}: {}", path, e.what()));
  }
  if (s->snapshot.key != s->key || opts.no_cache) {
    s->replace_all = true;
    s->snapshot.files.clear();  // nothing of it is valid for this scan
  }
  return s;
}

// Lowers what the plan needs until it needs nothing new; returns the files to analyse.
std::vector<size_t> plan_and_lower(std::vector<Source>& sources, store::IncrementalPlan& plan,
                                   const ScanOptions& opts) {
  for (;;) {
    std::vector<size_t> need;
    for (size_t i : plan.dirty())
      if (!sources[i].lowered) need.push_back(i);
    if (need.empty()) return plan.dirty();
    parallel_for(need.size(), opts.jobs, [&](size_t k) { lower_one(sources[need[k]], opts); });
    for (size_t i : need) plan.lowered(i, store::file_refs(sources[i].frag, 0), sources[i].frag.files[0].module_name);
  }
}

// The cache entries of the analysed files: what they refer to, and every file they may depend on
// (by their names now, and by what the linker connected).
store::CacheUpdate cache_update(const CacheSession& s, const store::IncrementalPlan& plan,
                                const std::vector<size_t>& analysed, const ir::Program& p,
                                const std::vector<std::string>& paths, const std::vector<std::string>& hashes,
                                std::vector<Finding> findings, const std::unordered_set<std::string>& uncached) {
  store::CacheUpdate u;
  u.key = s.key;
  u.read_generation = s.snapshot.generation;
  u.replace_all = s.replace_all;
  u.removed = plan.removed();
  u.findings = std::move(findings);
  // A file that went over its time budget is not cached: the next scan tries it again.
  u.findings.erase(std::remove_if(u.findings.begin(), u.findings.end(),
                                  [&](const Finding& f) { return uncached.count(f.path) > 0; }),
                   u.findings.end());
  std::vector<store::FileRefs> refs(analysed.size());
  std::unordered_set<std::string> targets;
  for (size_t k = 0; k < analysed.size(); ++k) refs[k] = store::file_refs(p, static_cast<int32_t>(k));
  for (size_t i = 0; i < paths.size(); ++i)
    if (const store::FileRefs* r = plan.refs(i)) targets.insert(r->imports.begin(), r->imports.end());
  for (const auto& r : refs) targets.insert(r.imports.begin(), r.imports.end());
  std::vector<std::string> modules = plan.module_names();
  for (size_t k = 0; k < analysed.size(); ++k) modules[analysed[k]] = p.files[k].module_name;
  const store::NameIndex index(modules, targets);
  const auto linked = store::linked_files(p);
  for (size_t k = 0; k < analysed.size(); ++k) {
    const ir::SourceFile& f = p.files[k];
    if (uncached.count(f.path)) continue;
    store::CachedFile e{
        f.path, hashes[analysed[k]], f.language, f.module_name, to_string(f.status), f.message, f.mode, refs[k], {}};
    std::vector<int32_t> hits;
    for (const auto* list : {&refs[k].imports, &refs[k].names})
      for (const auto& name : *list) index.candidates(name, hits);
    for (int32_t j : hits) e.deps.push_back(paths[static_cast<size_t>(j)]);
    for (int32_t j : linked[k]) e.deps.push_back(p.files[static_cast<size_t>(j)].path);
    std::sort(e.deps.begin(), e.deps.end());
    e.deps.erase(std::unique(e.deps.begin(), e.deps.end()), e.deps.end());
    e.deps.erase(std::remove(e.deps.begin(), e.deps.end(), f.path), e.deps.end());
    u.files.push_back(std::move(e));
  }
  return u;
}

}  // namespace

bool rule_selected(const RuleInfo& info, const ScanOptions& opts) {
  auto match = [&](const std::vector<std::string>& list) {
    for (const auto& s : list)
      if (s == info.id || s == info.name || (!s.empty() && info.id.rfind(s, 0) == 0)) return true;
    return false;
  };
  if (!opts.select.empty() && !match(opts.select)) return false;
  return !match(opts.ignore);
}

void register_post_processor(PostProcessor p) {
  auto& v = post_processors();
  v.push_back(std::move(p));
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
}

std::shared_ptr<ir::Program> build_program(const ScanOptions& opts, std::string* root_out) {
  const std::string root = scan_root(opts.paths);
  if (root_out) *root_out = root;
  budget::set_file_budget(opts.file_timeout);
  std::vector<Source> sources = read_all(root, opts);
  parallel_for(sources.size(), opts.jobs, [&](size_t i) { lower_one(sources[i], opts); });
  return link_program(sources, every_index(sources.size()));
}

ScanOutput run_scan(const ScanOptions& opts) {
  auto start = std::chrono::steady_clock::now();
  ScanOutput out;
  ScanResult& r = out.result;
  r.root = scan_root(opts.paths);
  r.arguments = opts.arguments;
  r.list_suppressed = opts.all;
  if (opts.shard.active()) r.shard = opts.shard.text();
  budget::set_file_budget(opts.file_timeout);
  budget::take_over_budget();  // none left from an earlier scan in this process
  auto phase = [&](const char* p) {
    if (opts.progress) opts.progress->phase = p;
  };
  std::vector<Source> sources = read_all(r.root, opts);
  const size_t n = sources.size();
  if (opts.progress) opts.progress->total = n;
  phase("parsing");
  std::vector<std::string> paths(n), hashes(n);
  std::vector<store::CurrentFile> current(n);
  for (size_t i = 0; i < n; ++i) {
    const ir::SourceFile& f = sources[i].frag.files[0];
    paths[i] = f.path;
    hashes[i] = sources[i].hash;
    current[i] = {f.path, sources[i].fe ? sources[i].hash : std::string(), f.module_name};
  }

  // Which files to analyse: all of them, or with the cache the dependency components that changed.
  std::unique_ptr<CacheSession> cache = open_cache(r.root, opts);
  store::CacheSnapshot no_snapshot;
  store::IncrementalPlan plan(current, cache ? cache->snapshot : no_snapshot);
  std::vector<size_t> analysed;
  if (cache) {
    analysed = plan_and_lower(sources, plan, opts);
  } else {
    analysed = every_index(n);
    parallel_for(n, opts.jobs, [&](size_t i) { lower_one(sources[i], opts); });
  }
  mark(opts, "lower");
  std::vector<char> is_analysed(n, 0);
  for (size_t i : analysed) is_analysed[i] = 1;

  phase("analysing");
  out.program = link_program(sources, analysed);
  mark(opts, "link");
  const ir::Program& p = *out.program;
  std::vector<FileReport> rule_errors;
  ScanResult fresh;
  fresh.root = r.root;
  fresh.arguments = r.arguments;
  for (size_t k = 0; k < analysed.size(); ++k) {
    const ir::SourceFile& f = p.files[k];
    fresh.files.push_back({f.path, f.language, to_string(f.status), f.message, f.mode, hashes[analysed[k]]});
  }
  fresh.findings = run_rules(p, opts, rule_errors);
  // Files a model of which went over budget in the analysis: partial, and not cached.
  std::unordered_set<std::string> uncached;
  for (const budget::Overrun& o : budget::take_over_budget()) {
    auto it =
        std::find_if(fresh.files.begin(), fresh.files.end(), [&](const FileReport& f) { return f.path == o.path; });
    if (it == fresh.files.end() || uncached.count(o.path)) continue;
    uncached.insert(o.path);
    const std::string m = budget::over_budget_message(o.stage, o.seconds) + "; the rest of the file was analysed";
    if (it->status == "ok") it->status = "partial";
    it->message = it->message.empty() ? m : it->message + "; " + m;
  }
  for (const auto& f : fresh.files)
    if (f.status == "skipped" && f.message.rfind("over budget:", 0) == 0) uncached.insert(f.path);
  run_post_processors(true, fresh, p, opts);

  // The result in discovery order: analysed files as analysed, the others from the cache.
  std::vector<std::string> cached_paths;
  for (size_t i = 0, k = 0; i < n; ++i) {
    if (is_analysed[i]) {
      r.files.push_back(fresh.files[k++]);
      continue;
    }
    const store::CachedFile& e = cache->snapshot.files.at(paths[i]);
    r.files.push_back({e.path, e.language, e.status, e.message, e.mode, hashes[i]});
    cached_paths.push_back(e.path);
  }
  r.files.insert(r.files.end(), rule_errors.begin(), rule_errors.end());
  r.cached_files = static_cast<int>(cached_paths.size());
  r.findings = fresh.findings;
  if (!cached_paths.empty()) {
    std::vector<Finding> cached;
    try {
      cached = cache->cache->findings(r.root, cached_paths);
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("findings database {}: {}", cache->path, e.what()));
    }
    r.findings.insert(r.findings.end(), std::make_move_iterator(cached.begin()), std::make_move_iterator(cached.end()));
    // Each path's findings come from one side, already in order: only paths interleave.
    std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.path, a.line, a.column, a.rule) < std::tie(b.path, b.line, b.column, b.rule);
    });
  }

  if (cache) {
    // Only complete analyses are cached, and only findings that belong to an analysed file.
    std::unordered_set<std::string> analysed_paths;
    for (const auto& f : fresh.files) analysed_paths.insert(f.path);
    bool attributable = std::all_of(fresh.findings.begin(), fresh.findings.end(),
                                    [&](const Finding& f) { return analysed_paths.count(f.path) > 0; });
    try {
      if (!rule_errors.empty() || !attributable)
        cache->cache->drop(r.root);
      else
        cache->cache->save(r.root,
                           cache_update(*cache, plan, analysed, p, paths, hashes, std::move(fresh.findings), uncached));
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("findings database {}: {}", cache->path, e.what()));
    }
    cache.reset();
  }

  // The files not analysed join the program as text, for the post-processors (snippets, review).
  for (size_t i = 0; i < n; ++i)
    if (!is_analysed[i]) link::merge(*out.program, std::move(sources[i].frag));
  mark(opts, "cache");
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  phase("recording");
  run_post_processors(false, r, p, opts);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  mark(opts, "store");
  return out;
}

std::string module_name_among(const std::string& path, const std::unordered_set<std::string>& present,
                              bool* is_package_init) {
  return dotted_module_name(
      path, [&](const std::string& init) { return present.count(init) > 0; }, is_package_init);
}

LoweredSource lower_source(const ScanOptions& opts, const std::string& root, MemorySource given,
                           const std::string& module_name, bool is_package_init) {
  Source s;
  s.frag.files.emplace_back();
  ir::SourceFile& f = s.frag.files.back();
  f.path = given.path;
  f.abs_path = (std::filesystem::path(root) / given.path).string();
  const frontend::Frontend* fe = frontend::frontend_for(f.path);
  f.language = fe ? fe->language : "unknown";
  s.hash = hash_hex(given.text);
  if (!fe) {
    f.status = ir::FileStatus::Skipped;
    f.message = "unsupported file type (no front-end reads it)";
  } else if (given.text.size() > opts.max_file_bytes) {
    f.status = ir::FileStatus::Skipped;
    f.message = fmt::format("{:.1f} MB is larger than the {:.1f} MB limit (--max-file-size)",
                            given.text.size() / 1048576.0, opts.max_file_bytes / 1048576.0);
  } else if (given.text.find('\0') != std::string::npos) {
    f.status = ir::FileStatus::Skipped;
    f.message = "binary file (contains NUL bytes)";
  } else {
    f.text = std::move(given.text);
    f.line_starts = ir::line_starts(f.text);
    if (f.language == "python") {
      f.module_name = module_name;
      f.is_package_init = is_package_init;
    }
    s.fe = fe;
  }
  lower_one(s, opts);
  return {std::move(s.frag), std::move(s.hash)};
}

ScanOutput analyse_lowered(const ScanOptions& opts, const std::string& root,
                           const std::vector<const LoweredSource*>& files) {
  auto start = std::chrono::steady_clock::now();
  ScanOutput out;
  ScanResult& r = out.result;
  r.root = root;
  r.arguments = opts.arguments;
  r.list_suppressed = opts.all;
  budget::set_file_budget(opts.file_timeout);
  budget::take_over_budget();
  // Linking consumes fragments: the kept ones are copied.
  std::vector<Source> sources(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    sources[i].frag = files[i]->frag;
    sources[i].hash = files[i]->hash;
    sources[i].lowered = true;
  }
  out.program = link_program(sources, every_index(sources.size()));
  const ir::Program& p = *out.program;
  for (size_t k = 0; k < p.files.size(); ++k) {
    const ir::SourceFile& f = p.files[k];
    r.files.push_back({f.path, f.language, to_string(f.status), f.message, f.mode, files[k]->hash});
  }
  std::vector<FileReport> rule_errors;
  r.findings = run_rules(p, opts, rule_errors);
  for (const budget::Overrun& o : budget::take_over_budget()) {
    auto it = std::find_if(r.files.begin(), r.files.end(), [&](const FileReport& f) { return f.path == o.path; });
    if (it != r.files.end() && it->status == "ok") {
      it->status = "partial";
      it->message = budget::over_budget_message(o.stage, o.seconds) + "; the rest of the file was analysed";
    }
  }
  r.files.insert(r.files.end(), rule_errors.begin(), rule_errors.end());
  run_post_processors(true, r, p, opts);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

ScanOutput run_scan_sources(const ScanOptions& opts, const std::string& root, std::vector<MemorySource> given) {
  std::unordered_set<std::string> paths;
  for (const auto& g : given) paths.insert(g.path);
  std::vector<LoweredSource> lowered(given.size());
  parallel_for(given.size(), opts.jobs, [&](size_t i) {
    bool is_init = false;
    const std::string module = module_name_among(given[i].path, paths, &is_init);
    lowered[i] = lower_source(opts, root, std::move(given[i]), module, is_init);
  });
  std::vector<const LoweredSource*> files;
  for (const auto& l : lowered) files.push_back(&l);
  return analyse_lowered(opts, root, files);
}

}  // namespace archscan
