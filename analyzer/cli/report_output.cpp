#include "cli/report_output.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/command.h"

namespace archscan::cli {

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

bool choose_report(const std::string& format, const std::string& fail_on, ReportChoice& out) {
  out.never_fail = fail_on == "none";
  if (!out.never_fail && !parse_severity(fail_on, out.threshold)) {
    std::cerr << "archscan: --fail-on must be note, warning, error or none\n";
    return false;
  }
  out.sink = find_sink(format);
  if (!out.sink) {
    std::cerr << "archscan: unknown --format " << format << " (one of: " << joined(sink_names(), ", ") << ")\n";
    return false;
  }
  return true;
}

bool color_wanted(const std::string& color, const std::string& output) {
  if (color != "auto") return color == "always";
  const char* no_color = std::getenv("NO_COLOR");
  return output.empty() && isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

bool write_report(const ScanResult& r, const std::string& format, const ReportChoice& choice, const std::string& output,
                  const sinks::TextOptions& text) {
  std::ofstream file;
  std::ostream* os = &std::cout;
  if (!output.empty()) {
    file.open(output);
    if (!file) {
      std::cerr << "archscan: cannot write " << output << "\n";
      return false;
    }
    os = &file;
  }
  if (format == "text")
    sinks::write_text(r, *os, text);
  else
    (*choice.sink)(r, *os);
  return true;
}

int exit_code(const ScanResult& r, const ReportChoice& choice, bool fail_on_skipped) {
  bool file_errors = false, skipped = false, failing = false;
  for (const auto& f : r.files) {
    file_errors |= f.status == "error";
    skipped |= f.status == "skipped";
  }
  for (const auto& f : r.findings)
    if (f.suppression.empty() && !choice.never_fail && f.severity >= choice.threshold) failing = true;
  if (file_errors) return kExitError;
  return failing || (fail_on_skipped && skipped) ? kExitFindings : kExitClean;
}

}  // namespace archscan::cli
