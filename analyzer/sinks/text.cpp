// Text output, like Ruff's: `path:line:col: RULE [severity] message`, the source line under it,
// and a summary.
#include <fmt/format.h>

#include <map>

#include "core/pipeline.h"

namespace archscan {
namespace {

void write_text(const ScanResult& r, std::ostream& os) {
  std::map<std::string, int> by_severity;
  int shown = 0;
  int dismissed = 0;
  for (const auto& f : r.findings) {
    // Findings dismissed in review reach the sink only with --all: show them, marked.
    const bool review = f.suppression == "review";
    if (!f.suppression.empty() && !review) continue;
    if (review) ++dismissed;
    else ++shown, ++by_severity[to_string(f.severity)];
    std::string type = f.taxonomy.empty() ? "" : fmt::format(" ({})", f.taxonomy);
    std::string mark = review ? fmt::format(" [dismissed: {}]", f.suppression_reason) : "";
    os << fmt::format("{}:{}:{}: {}{} [{}] {}{}\n", f.path, f.line, f.column, f.rule, type, to_string(f.severity),
                      f.message, mark);
    if (!f.snippet.empty()) {
      size_t nl = f.snippet.find('\n');
      std::string first = f.snippet.substr(0, nl);
      os << fmt::format("  {:>4} | {}\n", f.line, first);
    }
  }
  int problems = 0;
  for (const auto& f : r.files)
    if (f.status != "ok") ++problems;
  os << fmt::format("Found {} finding{} ({} error, {} warning, {} note) in {} file{}", shown, shown == 1 ? "" : "s",
                    by_severity["error"], by_severity["warning"], by_severity["note"], r.files.size(),
                    r.files.size() == 1 ? "" : "s");
  if (r.cached_files) os << fmt::format(" ({} file{} from cache)", r.cached_files, r.cached_files == 1 ? "" : "s");
  if (dismissed) os << fmt::format("; {} dismissed in review shown", dismissed);
  if (problems) os << fmt::format("; {} file{} not fully analysed", problems, problems == 1 ? "" : "s");
  os << fmt::format(" in {:.2f}s.\n", r.seconds);
}

const bool registered = (register_sink("text", write_text), true);

}  // namespace
}  // namespace archscan
