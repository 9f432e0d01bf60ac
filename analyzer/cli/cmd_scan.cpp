// `archscan scan PATH...`: scan a tree and report findings.
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/scan_options.h"
#include "core/pipeline.h"

namespace archscan::cli {
namespace {

struct ScanArgs {
  CommonScanArgs common;
  std::string format = "text";
  std::string output;
  std::string fail_on = "warning";
  bool explain = false;
};

void print_explanations(const ScanResult& r, std::ostream& os) {
  for (const auto& f : r.findings) {
    if (!f.suppression.empty() || f.trace.empty()) continue;
    os << fmt::format("\n{}:{}:{}: {}{} {}\n", f.path, f.line, f.column, f.rule,
                      f.taxonomy.empty() ? "" : " (" + f.taxonomy + ")", f.message);
    for (const auto& s : f.trace) os << fmt::format("    {:<12} {}:{}  {}\n", s.role, s.path, s.line, s.note);
  }
}

int run(const ScanArgs& a) {
  ScanOptions opts = a.common.to_options();
  Severity threshold = Severity::Warning;
  bool never_fail = a.fail_on == "none";
  if (!never_fail && !parse_severity(a.fail_on, threshold)) {
    std::cerr << "archscan: --fail-on must be note, warning, error or none\n";
    return kExitError;
  }
  const SinkFn* sink = find_sink(a.format);
  if (!sink) {
    std::cerr << "archscan: unknown --format " << a.format << " (one of:";
    for (const auto& n : sink_names()) std::cerr << " " << n;
    std::cerr << ")\n";
    return kExitError;
  }
  ScanOutput out;
  try {
    out = run_scan(opts);
  } catch (const std::exception& e) {
    std::cerr << "archscan: " << e.what() << "\n";
    return kExitError;
  }
  const ScanResult& r = out.result;
  bool file_errors = false;
  for (const auto& f : r.files) {
    if (f.status == "ok") continue;
    if (f.status == "error") file_errors = true;
    // One line per file; the message may already start with the status ("skipped: binary file").
    if (f.message.rfind(f.status + ":", 0) == 0) std::cerr << fmt::format("archscan: {}: {}\n", f.path, f.message);
    else std::cerr << fmt::format("archscan: {}: {}: {}\n", f.path, f.status, f.message);
  }
  std::ofstream file;
  std::ostream* os = &std::cout;
  if (!a.output.empty()) {
    file.open(a.output);
    if (!file) {
      std::cerr << "archscan: cannot write " << a.output << "\n";
      return kExitError;
    }
    os = &file;
  }
  (*sink)(r, *os);
  if (a.explain && a.format == "text") print_explanations(r, *os);
  bool failing = false;
  for (const auto& f : r.findings)
    if (f.suppression.empty() && !never_fail && f.severity >= threshold) failing = true;
  if (file_errors) return kExitError;
  return failing ? kExitFindings : kExitClean;
}

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand("scan", "Scan model source files for architectural backdoors");
  args->common.add(*cmd);
  cmd->add_option("--format", args->format, "Output format: text, json, sarif, github")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of standard output");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 when a finding has this severity or higher (note, warning, error, none)")
      ->capture_default_str();
  cmd->add_flag("--explain", args->explain, "Print each finding's full trace (text format)");
  cmd->callback([args] { throw CLI::RuntimeError(run(*args)); });
});

}  // namespace
}  // namespace archscan::cli
