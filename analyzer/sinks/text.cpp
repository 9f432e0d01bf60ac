#include "sinks/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/display_path.h"
#include "findings/rule.h"
#include "sinks/registry.h"

namespace archscan::sinks {
namespace {

std::string plural(size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

struct Paint {
  bool on;
  std::string operator()(const char* code, const std::string& s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  }
  const char* severity(Severity s) const { return s == Severity::Error ? "31" : s == Severity::Warning ? "33" : "36"; }
};

void write_statistics(const std::map<std::string, std::pair<int, Severity>>& by_rule, std::ostream& os) {
  std::vector<std::pair<std::string, std::pair<int, Severity>>> rows(by_rule.begin(), by_rule.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  for (const auto& [id, count] : rows) {
    const Rule* rule = RuleRegistry::instance().find(id);
    os << fmt::format("{:>5}\t{:<7}\t[{}] {}\n", count.first, id, to_string(count.second),
                      rule ? rule->info().name : std::string());
  }
}

}  // namespace

void write_text(const ScanResult& r, std::ostream& os, const TextOptions& o) {
  const Paint paint{o.color};
  std::map<std::string, int> by_severity;
  std::map<std::string, std::pair<int, Severity>> by_rule;
  int shown = 0;
  int dismissed = 0, suppressed = 0;
  for (const auto& f : r.findings) {
    // Findings dismissed in review reach the sink only with --all: show them, marked. Findings
    // hidden by an inline comment are counted in the summary, and shown (marked) with --all.
    const bool review = f.suppression == "review";
    const bool inline_suppressed = !f.suppression.empty() && !review;
    if (inline_suppressed) ++suppressed;
    if (inline_suppressed && !r.list_suppressed) continue;
    if (review)
      ++dismissed;
    else if (!inline_suppressed)
      ++shown, ++by_severity[to_string(f.severity)], ++by_rule.try_emplace(f.rule, 0, f.severity).first->second.first;
    if (o.statistics) continue;
    std::string type = f.taxonomy.empty() ? "" : fmt::format(" ({})", f.taxonomy);
    std::string mark = review              ? fmt::format(" [dismissed: {}]", f.suppression_reason)
                       : inline_suppressed ? fmt::format(" [suppressed inline: {}]", f.suppression_reason)
                                           : "";
    os << fmt::format("{}:{}:{}: {}{} [{}] {}{}\n", paint("1", display_path(r.root, f.path)), f.line, f.column,
                      paint("1;31", f.rule), type, paint(paint.severity(f.severity), to_string(f.severity)), f.message,
                      mark);
    if (!f.snippet.empty()) os << fmt::format("  {:>4} | {}\n", f.line, f.snippet.substr(0, f.snippet.find('\n')));
    if (o.explain)
      for (const auto& s : f.trace)
        os << fmt::format("    {:<12} {}:{}  {}\n", s.role, display_path(r.root, s.path.empty() ? f.path : s.path),
                          s.line, s.note);
  }
  if (o.statistics) write_statistics(by_rule, os);
  // A C++ file analysed with less than it needs (syntax only, or without some headers) is analysed
  // less: say so where people read, not only in JSON.
  for (const auto& f : r.files)
    if (f.language == "cpp" && f.status == "ok" && (!f.message.empty() || f.mode == "syntactic"))
      os << fmt::format(
          "{}: {}: {}\n", display_path(r.root, f.path), paint("36", "note"),
          f.message.empty() ? "analysed syntactically (types, macros and headers not resolved)" : f.message);
  if (!o.summary) return;
  std::vector<std::string> skipped;
  size_t partial = 0, files = 0;
  for (const auto& f : r.files) {
    if (!f.path.empty() && f.path[0] == '<') continue;  // "<rule X>": a rule's internal error
    ++files;
    if (f.status == "partial") ++partial;
    if (f.status == "skipped" || f.status == "error") skipped.push_back(display_path(r.root, f.path));
  }
  os << fmt::format("Found {} ({} error, {} warning, {} note) in {}", plural(shown, "finding"), by_severity["error"],
                    by_severity["warning"], by_severity["note"], plural(files - skipped.size(), "file"));
  if (r.cached_files) os << fmt::format(" ({} from cache)", plural(r.cached_files, "file"));
  if (dismissed) os << fmt::format("; {} dismissed in review shown", dismissed);
  if (suppressed)
    os << fmt::format("; {} suppressed inline{}", suppressed, r.list_suppressed ? " shown" : " (--all lists them)");
  if (partial) os << fmt::format("; {} partially analysed", plural(partial, "file"));
  if (!skipped.empty()) {
    const size_t named = std::min<size_t>(skipped.size(), 5);
    std::string names;
    for (size_t i = 0; i < named; ++i) names += (i ? ", " : "") + skipped[i];
    if (named < skipped.size()) names += fmt::format(", and {} more", skipped.size() - named);
    os << fmt::format("; {} not analysed: {}", plural(skipped.size(), "file"), paint("1;33", names));
  }
  os << fmt::format(" in {:.2f}s.\n", r.seconds);
}

namespace {
const bool registered =
    (register_sink("text", [](const ScanResult& r, std::ostream& os) { write_text(r, os, {}); }), true);
}  // namespace

}  // namespace archscan::sinks
