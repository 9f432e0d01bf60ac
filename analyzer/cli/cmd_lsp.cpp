// `archscan lsp`: the language server (analyzer/lsp/server.h) on stdin/stdout, for editors.
#include <csignal>
#include <iostream>

#include "cli/command.h"
#include "cli/scan_options.h"
#include "lsp/server.h"

namespace archscan::cli {
namespace {

struct LspArgs {
  std::string db;
  bool no_db = false, log = false, stdio = true;
  int jobs = 0;
  double max_file_mb = 5, file_timeout = 60;
};

int run(const LspArgs& a) {
  // A client that closes its end must not kill the server with SIGPIPE: the write fails instead.
  std::signal(SIGPIPE, SIG_IGN);
  lsp::ServerConfig config;
  config.log = a.log;
  config.options_for = [&a](const std::string& root) {
    CommonScanArgs s;
    s.paths = {root};
    s.jobs = a.jobs;
    s.max_file_mb = a.max_file_mb;
    s.file_timeout = a.file_timeout;
    s.no_db = a.no_db;
    std::string error;
    if (!s.prepare(error, root))  // the project's archscan.toml / pyproject.toml
      std::cerr << "archscan lsp: " << error << " (using the defaults)\n";
    if (!a.db.empty()) s.db = a.db;
    ScanOptions o = s.to_options();
    o.no_cache = true;  // the server keeps its own lowered files
    return o;
  };
  return lsp::serve(config, 0, 1);
}

const CommandRegistrar reg([](CLI::App& app) {
  auto a = std::make_shared<LspArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lsp", "Language server (LSP 3.17 over stdio): findings as diagnostics in the editor, as you type");
  cmd->add_flag("--stdio", a->stdio, "Talk over stdin/stdout (the default and only transport)");
  cmd->add_option("--db", a->db, "Review database (default: <root>/.archscan/archscan.db)");
  cmd->add_flag("--no-db", a->no_db, "Read no review database (dismissed findings are shown; no marking)");
  cmd->add_option("-j,--jobs", a->jobs, "Worker threads (default: number of cores)");
  cmd->add_option("--max-file-size", a->max_file_mb, "Skip files larger than this many MB")->capture_default_str();
  cmd->add_option("--file-timeout", a->file_timeout, "CPU seconds of work per file before it is over budget")
      ->capture_default_str();
  cmd->add_flag("--log", a->log, "Log each analysis (files, milliseconds) on stderr");
  cmd->callback([a] { throw CLI::RuntimeError(run(*a)); });
});

}  // namespace
}  // namespace archscan::cli
