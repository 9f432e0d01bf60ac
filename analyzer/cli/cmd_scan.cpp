// `archscan scan PATH...`: scan a tree and report findings.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/progress_line.h"
#include "cli/report_output.h"
#include "cli/scan_inputs.h"
#include "cli/scan_options.h"
#include "core/pipeline.h"
#include "frontend/frontend.h"
#include "sinks/registry.h"
#include "sinks/text.h"

namespace archscan::cli {
namespace {

struct ScanArgs {
  CommonScanArgs common;
  std::string format = "text";
  std::string output;
  std::string fail_on = "warning";
  bool fail_on_skipped = false;
  bool explain = false, quiet = false, statistics = false, profile = false;
  std::string color = "auto";
  std::string stdin_filename;
  std::string shard;  // "K/N"
  int shard_depth = 1;
  CLI::Option *fail_on_opt = nullptr, *fail_on_skipped_opt = nullptr;
};

// "Found 0 findings" must mean archscan looked: say so when there was nothing it could read.
void warn_if_nothing_read(const ScanResult& r, const std::vector<std::string>& paths) {
  for (const auto& f : r.files)
    if ((f.status == "ok" || f.status == "partial") && !(f.path.size() && f.path[0] == '<')) return;
  std::vector<std::string> exts;
  for (const auto& fe : frontend::frontends()) exts.insert(exts.end(), fe.extensions.begin(), fe.extensions.end());
  std::cerr << fmt::format("archscan: warning: no model source analysed in {} (archscan reads {})\n",
                           joined(paths, ", "), joined(exts, " "));
}

// Diagnostics are one line each, whatever a front-end or SQLite put in the message.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

void report_files(const ScanResult& r) {
  for (const auto& f : r.files)
    if (f.status != "ok") std::cerr << fmt::format("archscan: {}: {}: {}\n", f.path, f.status, one_line(f.message));
}

int run(ScanArgs& a) {
  std::vector<std::string>& paths = a.common.paths;
  const bool from_stdin = std::find(paths.begin(), paths.end(), "-") != paths.end();
  if (from_stdin && paths.size() > 1) {
    std::cerr << "archscan: `scan -` reads one file from standard input: give no other path\n";
    return kExitError;
  }
  const std::string stdin_name = a.stdin_filename.empty() ? "stdin.py" : a.stdin_filename;
  if (int rc = prepare_or_exit(a.common, from_stdin ? stdin_name : ""); rc >= 0) return rc;
  const Config& config = a.common.config;
  if (config.fail_on && a.fail_on_opt->count() == 0) a.fail_on = *config.fail_on;
  if (config.fail_on_skipped && a.fail_on_skipped_opt->count() == 0) a.fail_on_skipped = *config.fail_on_skipped;
  ReportChoice choice;
  if (!choose_report(a.format, a.fail_on, choice)) return kExitError;
  if (a.statistics && a.format != "text") {
    std::cerr << "archscan: --statistics prints text: use it without --format\n";
    return kExitError;
  }

  ScanOptions opts = a.common.to_options();
  if (!a.shard.empty()) {
    std::string error;
    if (!parse_shard(a.shard, opts.shard, error)) {
      std::cerr << "archscan: " << error << "\n";
      return kExitError;
    }
    opts.shard.depth = a.shard_depth;
    // Shards run at once on several machines: each records into its own database, and
    // `archscan merge` combines them (one database shared by all would see the others' files as gone).
    if (opts.db_path.empty() && !opts.no_db) {
      std::cerr << "archscan: --shard records each shard in its own database: give --db (e.g. --db shard-"
                << opts.shard.index << ".db) and combine them with `archscan merge`, or scan with --no-db\n";
      return kExitError;
    }
  }
  std::string stdin_copy;
  if (from_stdin) {
    stdin_copy = copy_stdin(stdin_name);
    if (stdin_copy.empty()) {
      std::cerr << "archscan: cannot copy standard input to a temporary file\n";
      return kExitError;
    }
    opts.paths = {stdin_copy};
    opts.no_db = true;  // a buffer has no tree to record findings for
  } else if (!check_paths(opts)) {
    return kExitError;
  }
  if (!choose_database(opts)) return kExitError;
  ScanProgress progress;
  opts.progress = &progress;
  ScanProfile profile;
  if (a.profile) {
    opts.profile = &profile;
    opts.frontend.parse_ns = &profile.parse_ns;
  }
  ScanOutput out;
  try {
    ProgressLine line(progress, !a.quiet && isatty(STDERR_FILENO));
    out = run_scan(opts);
  } catch (const std::exception& e) {
    remove_stdin_copy(stdin_copy);
    std::cerr << "archscan: " << one_line(e.what()) << "\n";
    return kExitError;
  }
  ScanResult& r = out.result;
  if (from_stdin) {
    remove_stdin_copy(stdin_copy);
    // Report the file under the name the editor gave it.
    r.root = std::filesystem::absolute(stdin_name).parent_path().lexically_normal().string();
  }
  report_files(r);
  warn_if_nothing_read(r, paths);

  const sinks::TextOptions text{color_wanted(a.color, a.output), a.explain, a.statistics, !a.quiet};
  if (!write_report(r, a.format, choice, a.output, text)) return kExitError;
  if (a.profile) {
    profile.mark("output");
    std::cerr << format_profile(profile);
  }
  return exit_code(r, choice, a.fail_on_skipped);
}

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand("scan", "Scan model source files for architectural backdoors");
  args->common.add(*cmd);
  // Every registered sink, so that a new one shows up in --help by itself.
  cmd->add_option("--format", args->format, "Output format: " + joined(sink_names(), ", "))->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of standard output");
  args->fail_on_opt = cmd->add_option("--fail-on", args->fail_on,
                                      "Exit 1 when a finding has this severity or higher (note, warning, error, none)")
                          ->capture_default_str();
  args->fail_on_skipped_opt = cmd->add_flag(
      "--fail-on-skipped", args->fail_on_skipped,
      "Also exit 1 when a file was skipped (too large, over budget, binary, a symlink out of the root, a type "
      "archscan does not read: .cu, .ipynb, .pyx)");
  cmd->add_flag("--explain", args->explain, "Print each finding's full trace (text format)");
  cmd->add_flag("-q,--quiet", args->quiet, "Print the findings only: no progress line, no summary");
  cmd->add_flag("--statistics", args->statistics, "Print the number of findings per rule instead of the findings");
  cmd->add_option("--shard", args->shard,
                  "Scan only shard K of N (K/N, 0 <= K < N) of the tree, split by repository (top-level "
                  "directory); combine the shards' databases with `archscan merge`");
  cmd->add_option("--shard-depth", args->shard_depth,
                  "Directory levels below the root that make one repository for --shard (2 for org/repo layouts)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_flag("--profile", args->profile,
                "Print on stderr the time (wall and CPU) and memory (resident, peak) of each phase of the scan");
  cmd->add_option("--color", args->color, "Colour the text output: auto (a terminal, NO_COLOR unset), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--stdin-filename", args->stdin_filename,
                  "With `scan -`: the name of the file read from standard input (its type, config and reported path)");
  cmd->callback([args] { throw CLI::RuntimeError(run(*args)); });
});

}  // namespace
}  // namespace archscan::cli
