#include "cli/scan_options.h"

#include "cli/command.h"

namespace archscan::cli {

void CommonScanArgs::add(CLI::App& cmd, bool with_store) {
  cmd.add_option("paths", paths, "Files or directories to scan")->required();
  cmd.add_option("--exclude", excludes, "Skip paths matching GLOB (repeatable)");
  cmd.add_option("--select", select, "Run only these rules (ids or prefixes, repeatable)");
  cmd.add_option("--ignore", ignore, "Do not run these rules (ids or prefixes, repeatable)");
  cmd.add_option("-j,--jobs", jobs, "Worker threads (default: number of cores)");
  cmd.add_option("--max-file-size", max_file_mb, "Skip files larger than this many MB")->capture_default_str();
  cmd.add_option("-p,--compile-commands", compile_commands, "Directory holding compile_commands.json (C++)");
  if (!with_store) return;
  cmd.add_option("--db", db, "Review database (default: <root>/.archscan/archscan.db)");
  cmd.add_flag("--no-db", no_db, "Do not record the run in the review database (and use no analysis cache)");
  cmd.add_flag("--no-cache", no_cache, "Analyse every file again instead of reusing unchanged files' cached findings");
  cmd.add_flag("--all", all, "Also report findings dismissed in review");
  cmd.add_flag("--new-only", new_only, "Report only findings absent from the previous run on this root");
}

ScanOptions CommonScanArgs::to_options() const {
  ScanOptions o;
  o.paths = paths;
  o.excludes = excludes;
  o.select = select;
  o.ignore = ignore;
  o.jobs = jobs;
  o.max_file_bytes = static_cast<uint64_t>(max_file_mb * 1024 * 1024);
  o.frontend.compile_commands_dir = compile_commands;
  o.frontend.extra_args = passthrough_args();
  o.db_path = db;
  o.no_db = no_db;
  o.no_cache = no_cache;
  o.all = all;
  o.new_only = new_only;
  o.arguments = command_line();
  return o;
}

}  // namespace archscan::cli
