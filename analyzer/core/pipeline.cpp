#include "core/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "analysis/analyses.h"
#include "core/fingerprint.h"
#include "core/rule.h"
#include "core/source_reader.h"
#include "link/linker.h"

namespace archscan {
namespace {

std::vector<PostProcessor>& post_processors() {
  static std::vector<PostProcessor> v;
  return v;
}

std::map<std::string, SinkFn>& sinks() {
  static std::map<std::string, SinkFn> m;
  return m;
}

// Lowers one candidate into a fragment; never throws.
ir::Program lower_one(const SourceCandidate& c, const ScanOptions& opts, std::string& content_hash) {
  ir::Program frag;
  frag.files.emplace_back();
  ir::SourceFile& f = frag.files.back();
  f.path = c.rel_path;
  f.abs_path = c.abs_path;
  const frontend::Frontend* fe = frontend::frontend_for(c.abs_path);
  f.language = fe ? fe->language : "unknown";
  if (!c.problem.empty()) {
    f.status = ir::FileStatus::Error;
    f.message = c.problem;
    return frag;
  }
  if (!fe) {
    f.status = ir::FileStatus::Skipped;
    f.message = "skipped: no front-end for this file type";
    return frag;
  }
  ReadResult r = read_source(c.abs_path, opts.max_file_bytes);
  content_hash = r.content_hash;
  if (!r.ok) {
    f.status = r.skipped ? ir::FileStatus::Skipped : ir::FileStatus::Error;
    f.message = r.message;
    return frag;
  }
  f.text = std::move(r.text);
  f.line_starts = line_starts(f.text);
  if (f.language == "python") f.module_name = python_module_name(c.abs_path, &f.is_package_init);
  try {
    fe->lower(frag, opts.frontend);
  } catch (const std::exception& e) {
    ir::Program failed;
    failed.files.push_back(std::move(frag.files[0]));
    failed.files[0].status = ir::FileStatus::Error;
    failed.files[0].message = fmt::format("internal error while lowering: {}", e.what());
    return failed;
  }
  return frag;
}

int job_count(int requested, size_t work) {
  int n = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(1, n);
  return static_cast<int>(std::min<size_t>(static_cast<size_t>(n), std::max<size_t>(1, work)));
}

struct Built {
  std::shared_ptr<ir::Program> program;
  std::string root;
  std::vector<std::string> hashes;  // per file
};

Built build(const ScanOptions& opts) {
  Built b;
  b.root = scan_root(opts.paths);
  auto candidates = discover(b.root, opts.paths, opts.excludes);
  std::vector<ir::Program> frags(candidates.size());
  b.hashes.resize(candidates.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < candidates.size(); i = next++) frags[i] = lower_one(candidates[i], opts, b.hashes[i]);
  };
  int jobs = job_count(opts.jobs, candidates.size());
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  b.program = std::make_shared<ir::Program>();
  for (auto& f : frags) link::merge(*b.program, std::move(f));
  link::link(*b.program);
  return b;
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

namespace {
}  // namespace

void register_post_processor(PostProcessor p) {
  auto& v = post_processors();
  v.push_back(std::move(p));
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
}

void register_sink(const std::string& name, SinkFn fn) { sinks()[name] = std::move(fn); }

const SinkFn* find_sink(const std::string& name) {
  auto it = sinks().find(name);
  return it == sinks().end() ? nullptr : &it->second;
}

std::vector<std::string> sink_names() {
  std::vector<std::string> v;
  for (const auto& [k, _] : sinks()) v.push_back(k);
  return v;
}

std::shared_ptr<ir::Program> build_program(const ScanOptions& opts, std::string* root_out) {
  Built b = build(opts);
  if (root_out) *root_out = b.root;
  return b.program;
}

ScanOutput run_scan(const ScanOptions& opts) {
  auto start = std::chrono::steady_clock::now();
  Built b = build(opts);
  ScanOutput out;
  out.program = b.program;
  ScanResult& r = out.result;
  r.root = b.root;
  r.arguments = opts.arguments;
  const ir::Program& p = *b.program;
  for (size_t i = 0; i < p.files.size(); ++i) {
    const ir::SourceFile& f = p.files[i];
    r.files.push_back({f.path, f.language, to_string(f.status), f.message, f.mode,
                       i < b.hashes.size() ? b.hashes[i] : std::string()});
  }

  Analyses analyses(p);
  for (const auto& rule : RuleRegistry::instance().rules()) {
    if (!rule_selected(rule->info(), opts)) continue;
    std::vector<Finding> found;
    RuleContext ctx(p, analyses, found);
    try {
      rule->run(ctx);
    } catch (const std::exception& e) {
      r.files.push_back({"<rule " + rule->info().id + ">", "", "error",
                         fmt::format("internal error in rule {}: {}", rule->info().id, e.what()), "", ""});
      continue;
    }
    for (auto& f : found) {
      if (f.rule.empty()) f.rule = rule->info().id;
      r.findings.push_back(std::move(f));
    }
  }
  std::sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.line, a.column, a.rule, a.message) < std::tie(b.path, b.line, b.column, b.rule, b.message);
  });
  r.findings.erase(std::unique(r.findings.begin(), r.findings.end(),
                               [](const Finding& a, const Finding& b) {
                                 return a.path == b.path && a.line == b.line && a.column == b.column &&
                                        a.rule == b.rule && a.message == b.message;
                               }),
                   r.findings.end());
  assign_fingerprints(r.findings, p);
  attach_snippets(r.findings, p);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& pp : post_processors()) {
    std::string error;
    if (!pp.run(r, p, opts, error)) throw std::runtime_error(fmt::format("{}: {}", pp.name, error));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace archscan
