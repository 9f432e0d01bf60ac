// Options shared by every command that scans (scan, eval, ir).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/config.h"
#include "core/pipeline.h"

namespace archscan::cli {

struct CommonScanArgs {
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  std::vector<std::string> select, ignore;
  int jobs = 0;
  double max_file_mb = 5;
  double file_timeout = 60;  // CPU seconds per file (0 = unlimited)
  std::string compile_commands;
  std::string db;
  bool no_db = false, no_cache = false, all = false, new_only = false;
  bool no_inline_suppressions = false;
  Config config;  // the project configuration prepare() found

  void add(CLI::App& cmd, bool with_store = true);
  // Fills what the command line left unset from the configuration found from `config_start` (the
  // first path by default), then checks --select/--ignore and -p. False with `error` set.
  bool prepare(std::string& error, const std::string& config_start = "");
  ScanOptions to_options() const;

 private:
  CLI::Option *select_opt_ = nullptr, *ignore_opt_ = nullptr, *exclude_opt_ = nullptr, *db_opt_ = nullptr,
              *cc_opt_ = nullptr;
  std::vector<std::string> cpp_flags_;
};

// Runs prepare() and prints its error: the exit code, or -1 to go on.
int prepare_or_exit(CommonScanArgs& a, const std::string& config_start = "");

}  // namespace archscan::cli
