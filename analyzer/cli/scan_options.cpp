#include "cli/scan_options.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/rule_selection.h"

namespace archscan::cli {
namespace {

namespace fs = std::filesystem;

// `-p` names a directory holding compile_commands.json (or the file itself). Without a usable
// one every C++ file would quietly fall back to syntax-only analysis.
bool check_compile_commands(std::string& dir, std::string& error) {
  fs::path p(dir);
  std::error_code ec;
  if (fs::is_regular_file(p, ec) && p.filename() == "compile_commands.json") dir = p.parent_path().string();
  fs::path file = fs::path(dir) / "compile_commands.json";
  // Not a FIFO or a device (a configuration in the scanned tree can name the directory): opening
  // one would block or never end.
  if (fs::exists(file, ec) && !fs::is_regular_file(file, ec)) {
    error = fmt::format("-p {}: compile_commands.json there is not a regular file", dir);
    return false;
  }
  std::ifstream in(file);
  if (!in) {
    error = fmt::format("-p {}: no compile_commands.json there", dir);
    return false;
  }
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (!j.is_array()) throw std::runtime_error("not a JSON array of compile commands");
    for (const auto& c : j)
      if (!c.is_object() || !c.contains("file") || !(c.contains("command") || c.contains("arguments")))
        throw std::runtime_error("an entry lacks \"file\" and \"command\" or \"arguments\"");
  } catch (const std::exception& e) {
    error = fmt::format("{}: malformed: {}", file.string(), e.what());
    return false;
  }
  return true;
}

}  // namespace

void CommonScanArgs::add(CLI::App& cmd, bool with_store) {
  cmd.add_option("paths", paths, "Files or directories to scan")->required();
  exclude_opt_ = cmd.add_option("--exclude", excludes, "Skip paths matching GLOB (repeatable)");
  select_opt_ = cmd.add_option("--select", select, "Run only these rules (ids, names or id prefixes, repeatable)");
  ignore_opt_ = cmd.add_option("--ignore", ignore, "Do not run these rules (ids, names or id prefixes, repeatable)");
  cmd.add_option("-j,--jobs", jobs, "Worker threads (default: number of cores)");
  cmd.add_option("--max-file-size", max_file_mb, "Skip files larger than this many MB")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd.add_option("--file-timeout", file_timeout,
                 "Skip a file (or the rest of a model) after this many CPU seconds of work on it: reported "
                 "'over budget' (0 = no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cc_opt_ = cmd.add_option("-p,--compile-commands", compile_commands, "Directory holding compile_commands.json (C++)");
  if (!with_store) return;
  db_opt_ = cmd.add_option("--db", db, "Review database (default: <root>/.archscan/archscan.db)");
  cmd.add_flag("--no-db", no_db, "Do not record the run in the review database (and use no analysis cache)");
  cmd.add_flag("--no-cache", no_cache, "Analyse every file again instead of reusing unchanged files' cached findings");
  cmd.add_flag("--all", all, "Also list findings dismissed in review or suppressed by an inline comment");
  cmd.add_flag("--new-only", new_only, "Report only findings absent from the previous run on this root");
  cmd.add_flag("--no-inline-suppressions", no_inline_suppressions,
               "Ignore every `archscan: ignore[...]` comment: report the findings they would hide");
}

bool CommonScanArgs::prepare(std::string& error, const std::string& config_start) {
  try {
    config = load_config(config_start.empty() ? paths.at(0) : config_start);
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  auto fill = [](CLI::Option* opt, auto& field, const auto& from_config) {
    if (from_config && (!opt || opt->count() == 0)) field = *from_config;
  };
  fill(select_opt_, select, config.select);
  fill(ignore_opt_, ignore, config.ignore);
  fill(exclude_opt_, excludes, config.exclude);
  fill(db_opt_, db, config.db);
  fill(cc_opt_, compile_commands, config.compile_commands);
  cpp_flags_ = passthrough_args();
  if (cpp_flags_.empty() && config.cpp_flags) cpp_flags_ = *config.cpp_flags;
  if (!resolve_rule_selection(select, "--select", error) || !resolve_rule_selection(ignore, "--ignore", error))
    return false;
  return compile_commands.empty() || check_compile_commands(compile_commands, error);
}

int prepare_or_exit(CommonScanArgs& a, const std::string& config_start) {
  std::string error;
  if (a.prepare(error, config_start)) return -1;
  std::cerr << "archscan: " << error << "\n";
  return kExitError;
}

ScanOptions CommonScanArgs::to_options() const {
  ScanOptions o;
  o.paths = paths;
  o.excludes = excludes;
  o.select = select;
  o.ignore = ignore;
  o.jobs = jobs;
  o.max_file_bytes = static_cast<uint64_t>(max_file_mb * 1024 * 1024);
  o.file_timeout = file_timeout;
  o.frontend.compile_commands_dir = compile_commands;
  o.frontend.extra_args = cpp_flags_;
  o.db_path = db;
  o.no_db = no_db;
  o.no_cache = no_cache;
  o.all = all;
  o.new_only = new_only;
  o.no_inline_suppressions = no_inline_suppressions;
  o.arguments = command_line();
  return o;
}

}  // namespace archscan::cli
