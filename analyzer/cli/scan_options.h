// Options shared by every command that scans (scan, eval, ir).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "core/pipeline.h"

namespace archscan::cli {

struct CommonScanArgs {
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  std::vector<std::string> select, ignore;
  int jobs = 0;
  double max_file_mb = 5;
  std::string compile_commands;
  std::string db;
  bool no_db = false, no_cache = false, all = false, new_only = false;

  void add(CLI::App& cmd, bool with_store = true);
  ScanOptions to_options() const;
};

}  // namespace archscan::cli
