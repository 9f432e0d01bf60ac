// `archscan diff [BASE] [HEAD]`: the pre-merge review. Reports only the findings the change
// introduces (analyzer/diff/diff.h); exit codes as `scan`.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/config.h"
#include "cli/report_output.h"
#include "cli/rule_selection.h"
#include "diff/diff.h"
#include "sinks/registry.h"
#include "sinks/text.h"

namespace archscan::cli {
namespace {

struct DiffArgs {
  std::string base, head, dir = ".";
  bool staged = false;
  std::string format = "text", output, fail_on = "warning", color = "auto", db;
  std::vector<std::string> select, ignore, excludes;
  int jobs = 0;
  double max_file_mb = 5, file_timeout = 60;
  bool no_db = false, all = false, no_inline_suppressions = false, quiet = false, explain = false;
  bool fail_on_skipped = false;
  CLI::Option *fail_on_opt = nullptr, *fail_on_skipped_opt = nullptr, *select_opt = nullptr, *ignore_opt = nullptr,
              *exclude_opt = nullptr, *db_opt = nullptr;
};

// Command line first, then the project configuration (archscan.toml / pyproject.toml).
bool apply_config(DiffArgs& a, std::string& error) {
  Config c;
  try {
    c = load_config(a.dir);
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  auto fill = [](CLI::Option* opt, auto& field, const auto& from_config) {
    if (from_config && opt->count() == 0) field = *from_config;
  };
  fill(a.select_opt, a.select, c.select);
  fill(a.ignore_opt, a.ignore, c.ignore);
  fill(a.exclude_opt, a.excludes, c.exclude);
  fill(a.fail_on_opt, a.fail_on, c.fail_on);
  fill(a.db_opt, a.db, c.db);
  fill(a.fail_on_skipped_opt, a.fail_on_skipped, c.fail_on_skipped);
  return resolve_rule_selection(a.select, "--select", error) && resolve_rule_selection(a.ignore, "--ignore", error);
}

int run(DiffArgs& a) {
  std::string error;
  if (!apply_config(a, error)) {
    std::cerr << "archscan: " << error << "\n";
    return kExitError;
  }
  ReportChoice choice;
  if (!choose_report(a.format, a.fail_on, choice)) return kExitError;

  diff::DiffRequest req;
  req.dir = a.dir;
  req.base = a.base;
  req.head = a.head;
  req.staged = a.staged;
  req.excludes = a.excludes;
  ScanOptions& o = req.scan;
  o.select = a.select;
  o.ignore = a.ignore;
  o.jobs = a.jobs;
  o.max_file_bytes = static_cast<uint64_t>(a.max_file_mb * 1024 * 1024);
  o.file_timeout = a.file_timeout;
  o.db_path = a.db;
  o.no_db = a.no_db;
  o.all = a.all;
  o.no_inline_suppressions = a.no_inline_suppressions;
  o.arguments = command_line();

  diff::DiffOutcome out;
  try {
    out = diff::run_diff(req);
  } catch (const std::exception& e) {
    std::cerr << "archscan: diff: " << e.what() << "\n";
    return kExitError;
  }
  const ScanResult& r = out.result;
  if (!a.quiet)
    std::cerr << fmt::format("archscan diff: {} .. {}: {} changed source file{}, {} file{} analysed ({} at BASE)\n",
                             out.base_label, out.head_label, out.changes.size(), out.changes.size() == 1 ? "" : "s",
                             out.head_files, out.head_files == 1 ? "" : "s", out.base_files);
  for (const auto& f : r.files)
    if (f.status != "ok") std::cerr << fmt::format("archscan: {}: {}: {}\n", f.path, f.status, f.message);

  const sinks::TextOptions text{color_wanted(a.color, a.output), a.explain, false, !a.quiet};
  if (!write_report(r, a.format, choice, a.output, text)) return kExitError;
  return exit_code(r, choice, a.fail_on_skipped);
}

const CommandRegistrar reg([](CLI::App& app) {
  auto a = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "Report only the findings a change introduces (pre-merge review): BASE (default: the merge base with "
      "the default branch) against HEAD (default: the working tree)");
  cmd->add_option("base", a->base,
                  "BASE revision (default: merge base with origin/HEAD, main or master; HEAD with --staged)");
  cmd->add_option("head", a->head, "HEAD revision (default: the working tree)");
  cmd->add_flag("--staged,--cached", a->staged,
                "Compare BASE (default HEAD) with the staged changes (a pre-commit hook)");
  cmd->add_option("-C", a->dir, "Run in this directory's repository instead of the current one");
  cmd->add_option("--format", a->format, "Output format: " + joined(sink_names(), ", "))->capture_default_str();
  cmd->add_option("-o,--output", a->output, "Write the report to FILE instead of standard output");
  a->fail_on_opt = cmd->add_option("--fail-on", a->fail_on,
                                   "Exit 1 when a new finding has this severity or higher (note, warning, error, none)")
                       ->capture_default_str();
  a->fail_on_skipped_opt = cmd->add_flag(
      "--fail-on-skipped", a->fail_on_skipped,
      "Also exit 1 when a file to analyse was skipped (too large, over budget, binary, a type archscan does not read)");
  a->select_opt =
      cmd->add_option("--select", a->select, "Run only these rules (ids, names or id prefixes, repeatable)");
  a->ignore_opt =
      cmd->add_option("--ignore", a->ignore, "Do not run these rules (ids, names or id prefixes, repeatable)");
  a->exclude_opt = cmd->add_option("--exclude", a->excludes, "Skip paths matching GLOB (repeatable)");
  cmd->add_option("-j,--jobs", a->jobs, "Worker threads (default: number of cores)");
  cmd->add_option("--max-file-size", a->max_file_mb, "Skip files larger than this many MB")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--file-timeout", a->file_timeout,
                  "CPU seconds of work per file before it is 'over budget' (0 = no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  a->db_opt =
      cmd->add_option("--db", a->db, "Review database whose dismissals apply (default: <repo>/.archscan/archscan.db)");
  cmd->add_flag("--no-db", a->no_db, "Apply no dismissals from a review database");
  cmd->add_flag("--all", a->all, "Also list new findings dismissed in review or suppressed by an inline comment");
  cmd->add_flag("--no-inline-suppressions", a->no_inline_suppressions,
                "Ignore every `archscan: ignore[...]` comment: report the findings they would hide");
  cmd->add_flag("--explain", a->explain, "Print each finding's full trace (text format)");
  cmd->add_flag("-q,--quiet", a->quiet, "Print the findings only: no header, no summary");
  cmd->add_option("--color", a->color, "Colour the text output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->callback([a] { throw CLI::RuntimeError(run(*a)); });
});

}  // namespace
}  // namespace archscan::cli
