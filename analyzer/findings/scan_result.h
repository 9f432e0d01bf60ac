// The outcome of one scan, as every sink sees it.
#pragma once

#include <string>
#include <vector>

#include "findings/finding.h"

namespace archscan {

struct FileReport {
  std::string path;          // relative to the scan root
  std::string language;      // "python", "cpp"
  std::string status;        // "ok", "partial", "error", "skipped"
  std::string message;       // one-line diagnostic when not ok
  std::string mode;          // "syntactic" / "semantic" (C++), empty otherwise
  std::string content_hash;  // xxh3-64 hex of the bytes read
};

struct ScanResult {
  std::string root;                    // absolute scan root
  std::vector<std::string> arguments;  // the command line
  std::vector<FileReport> files;
  std::vector<Finding> findings;  // sorted by path, line, column, rule
  double seconds = 0;
  int cached_files = 0;          // files not analysed again: their findings come from the analysis cache
  bool list_suppressed = false;  // --all: sinks list inline-suppressed findings too (else only count them)
  std::string shard;             // "K/N" when only shard K of N was scanned (--shard), else empty
};

}  // namespace archscan
