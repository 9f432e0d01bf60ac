// What `scan` and `diff` share once the analysis is done: the output format and destination, the
// exit-code policy (--fail-on, --fail-on-skipped), and their command-line parsing.
#pragma once

#include <string>
#include <vector>

#include "findings/scan_result.h"
#include "sinks/registry.h"
#include "sinks/text.h"

namespace archscan::cli {

std::string joined(const std::vector<std::string>& v, const char* sep);

struct ReportChoice {
  const SinkFn* sink = nullptr;  // the --format sink
  Severity threshold = Severity::Warning;
  bool never_fail = false;  // --fail-on none
};
// Resolves --format and --fail-on; prints a one-line error and returns false when either is unknown.
bool choose_report(const std::string& format, const std::string& fail_on, ReportChoice& out);

// --color auto: on for a terminal, off for a file or when NO_COLOR is set.
bool color_wanted(const std::string& color, const std::string& output);

// Writes the report to `output` (standard output when empty): text through write_text with `text`,
// any other format through its sink. False (with a message) when the file cannot be opened.
bool write_report(const ScanResult& r, const std::string& format, const ReportChoice& choice, const std::string& output,
                  const sinks::TextOptions& text);

// 2 when a file could not be read; 1 when an unsuppressed finding reaches the threshold (or a file
// was skipped and `fail_on_skipped`); else 0.
int exit_code(const ScanResult& r, const ReportChoice& choice, bool fail_on_skipped);

}  // namespace archscan::cli
