// The scan pipeline: find files, lower them in parallel, link, analyse, run rules, post-process.
// Post-processors (inline suppressions, the review store) register themselves; sinks
// (sinks/registry.h) consume the ScanResult.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/profile.h"
#include "base/progress.h"
#include "core/shard.h"
#include "findings/scan_result.h"
#include "frontend/frontend.h"
#include "ir/ir.h"

namespace archscan {

struct ScanOptions {
  std::vector<std::string> paths;
  std::vector<std::string> excludes;   // globs, matched against relative paths and base names
  int jobs = 0;                        // 0 = hardware concurrency
  uint64_t max_file_bytes = 5u << 20;  // larger files are skipped with a diagnostic
  // CPU seconds one piece of per-file work may take (parsing a file, analysing one of its models)
  // before the file is reported "over budget" (core/budget.h); 0 = unlimited.
  double file_timeout = 60;
  frontend::Options frontend;
  std::vector<std::string> select;  // rule ids to run (empty = all)
  std::vector<std::string> ignore;  // rule ids not to run
  // Review store (post-processors read these).
  std::string db_path;                  // empty = <root>/.archscan/archscan.db
  bool no_db = false;                   // also: no analysis cache
  bool no_cache = false;                // analyse every file (the cache is still refreshed)
  bool all = false;                     // report dismissed findings too
  bool new_only = false;                // only findings absent from the previous run on this root
  bool no_inline_suppressions = false;  // ignore every `archscan: ignore[...]` comment (they are untrusted)
  std::vector<std::string> arguments;   // the command line, recorded with the run
  ScanProgress* progress = nullptr;     // counted into when set
  ScanProfile* profile = nullptr;       // phases marked into when set (--profile)
  Shard shard;                          // only this part of the tree (--shard K/N); all when inactive
};

struct ScanOutput {
  ScanResult result;
  std::shared_ptr<ir::Program> program;
};

// Runs everything up to (not including) sinks. Never throws on bad input: per-file problems
// become FileReport diagnostics.
ScanOutput run_scan(const ScanOptions& opts);

// A source file given by its text rather than read from disk (`archscan diff` reads revisions
// straight out of git objects).
struct MemorySource {
  std::string path;  // relative to the root, '/'-separated
  std::string text;
};

// Analyses `sources` as the files below `root`: no discovery, no analysis cache, no review store;
// the per-file post-processors (inline suppressions) run. A directory is a Python package when
// `sources` holds its __init__.py.
ScanOutput run_scan_sources(const ScanOptions& opts, const std::string& root, std::vector<MemorySource> sources);

// One file lowered on its own, kept between analyses: the LSP server re-links the fragments it
// keeps after an edit instead of parsing every file again.
struct LoweredSource {
  ir::Program frag;  // files[0]: the file, lowered, or with its status and message when it was not
  std::string hash;  // of the text (xxh3-64 hex)
};

// Lowers one file given by its text (path relative to `root`) under the dotted module name given
// (Python). Never throws: problems become the file's status.
LoweredSource lower_source(const ScanOptions& opts, const std::string& root, MemorySource src,
                           const std::string& module_name, bool is_package_init);

// Links copies of `files`, runs the rules and the per-file post-processors (inline suppressions):
// as run_scan_sources, without lowering anything again.
ScanOutput analyse_lowered(const ScanOptions& opts, const std::string& root,
                           const std::vector<const LoweredSource*>& files);

// The dotted Python module name of `path` when the tree consists of `paths` (as python_module_name,
// without looking at the disk).
std::string module_name_among(const std::string& path, const std::unordered_set<std::string>& paths,
                              bool* is_package_init);

struct RuleInfo;
// Whether --select / --ignore keep the rule (by id, name or id prefix).
bool rule_selected(const RuleInfo& info, const ScanOptions& opts);

// Lowers and links files (no rules): for `archscan ir` and tests.
std::shared_ptr<ir::Program> build_program(const ScanOptions& opts, std::string* root_out = nullptr);

// Post-processors run in ascending `order` after rules and fingerprints. Returning false with
// `error` set aborts the scan with exit code 2.
//
// A `per_file` post-processor changes a file's findings only from that file's text, IR and
// findings (inline suppressions): it runs on the analysed files before their findings enter the
// analysis cache, and sees only those files. The others run on the complete result; their program
// holds every file's text, but IR only for the files analysed in this scan.
struct PostProcessor {
  std::string name;
  int order = 0;
  std::function<bool(ScanResult&, const ir::Program&, const ScanOptions&, std::string& error)> run;
  bool per_file = false;
};
void register_post_processor(PostProcessor p);

}  // namespace archscan
