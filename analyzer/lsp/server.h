// `archscan lsp`: a Language Server Protocol 3.17 server over stdio. It keeps the workspace lowered
// in memory (lsp/workspace.h), analyses again only what an edit can change, and reports findings as
// diagnostics (pushed, or pulled when the client offers pull diagnostics), with hovers, code actions
// (suppress with a reason; mark as false positive / won't fix in the findings database) and
// progress for the first workspace scan.
#pragma once

#include <functional>
#include <string>

#include "core/pipeline.h"

namespace archscan::lsp {

struct ServerConfig {
  // The scan options for a workspace root (the project's configuration: select, ignore, exclude, db).
  std::function<ScanOptions(const std::string& root)> options_for;
  bool log = false;  // a line per message and analysis on stderr
  // Read the workspace's files at `initialized` (off: only the documents the client opens; the fuzz
  // target, whose messages name arbitrary roots).
  bool read_workspace = true;
  // Wait for the input to end before returning (the fuzz target); else the reader thread is left
  // blocked on stdin after `exit`, and the process ends with it.
  bool join_reader = false;
};

// Serves until `exit` or the end of input. Returns the process exit code (0 after shutdown + exit).
int serve(const ServerConfig& config, int in_fd, int out_fd);

}  // namespace archscan::lsp
