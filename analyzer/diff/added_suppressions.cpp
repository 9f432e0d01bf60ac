#include "diff/added_suppressions.h"

#include <fmt/format.h>

#include <unordered_map>

#include "findings/fingerprint.h"
#include "findings/rule.h"
#include "review/suppressions.h"

namespace archscan::diff {
namespace {

std::string squeezed(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') out += c;
  return out;
}

std::string_view line_of(const std::string& text, int line) {
  size_t start = 0;
  for (int l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  size_t end = text.find('\n', start);
  return std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// What identifies a suppression across revisions: its comment line and the line it covers.
std::string identity(const std::string& text, const review::InlineSuppression& s) {
  std::string key = squeezed(line_of(text, s.line));
  if (s.covers_next) key += '\x1f' + squeezed(line_of(text, s.covers_next));
  return key;
}

bool names(const review::InlineSuppression& s, const Finding& f) {
  for (const auto& name : s.rules) {
    const Rule* named = RuleRegistry::instance().find(name);
    if (f.rule == name || (named && named->info().id == f.rule) || (!f.taxonomy.empty() && f.taxonomy == name))
      return true;
  }
  return false;
}

std::string hidden_list(const std::vector<const Finding*>& hidden) {
  std::string s;
  for (const Finding* f : hidden) {
    if (!s.empty()) s += "; ";
    s += fmt::format("{}{} at line {}: {}", f->rule, f->taxonomy.empty() ? "" : " (" + f->taxonomy + ")", f->line,
                     f->message.size() > 120 ? f->message.substr(0, 117) + "..." : f->message);
  }
  return s;
}

}  // namespace

std::vector<Finding> added_suppressions(const ScanOutput& head, const Side& base,
                                        const std::map<std::string, std::string>& changed, const ScanOptions& opts) {
  std::vector<Finding> out;
  const Rule* rule = RuleRegistry::instance().find(kAddedSuppression);
  if (opts.no_inline_suppressions || !rule || !rule_selected(rule->info(), opts)) return out;
  const ir::Program& p = *head.program;
  for (const ir::SourceFile& sf : p.files) {
    auto ch = changed.find(sf.path);
    if (ch == changed.end()) continue;
    const std::string_view marker = review::comment_marker(sf.language);
    // The suppressions BASE already had, as a multiset of identities.
    std::unordered_map<std::string, int> before;
    if (const std::string* old = ch->second.empty() ? nullptr : base.text(ch->second))
      for (const auto& s : review::parse_suppressions(*old, marker)) ++before[identity(*old, s)];
    for (const auto& s : review::parse_suppressions(sf.text, marker)) {
      if (!s.valid()) continue;  // SUP001 reports it, and it hides nothing
      if (int& n = before[identity(sf.text, s)]; n > 0) {
        --n;
        continue;
      }
      std::vector<const Finding*> hidden;
      for (const Finding& f : head.result.findings)
        if (f.path == sf.path && f.suppression == "inline" && (f.line == s.line || f.line == s.covers_next) &&
            names(s, f))
          hidden.push_back(&f);
      std::string rules;
      for (const auto& r : s.rules) rules += (rules.empty() ? "" : ", ") + r;
      Finding f;
      f.rule = kAddedSuppression;
      f.severity = rule->info().severity;
      f.path = sf.path;
      f.line = s.line;
      f.column = s.column;
      f.end_line = s.line;
      f.end_column = static_cast<int>(sf.line_text(s.line).size()) + 1;
      f.scope = hidden.empty() ? sf.module_name : hidden.front()->scope;
      f.message = hidden.empty()
                      ? fmt::format(
                            "suppression of {} added by this change; it hides no finding now, but would hide "
                            "the next one on this line. Record reviews in the review database instead",
                            rules)
                      : fmt::format(
                            "suppression of {} added by this change hides {}. A suppression comment is written "
                            "by the same hand as the code: have a reviewer dismiss the finding "
                            "(`archscan review FINGERPRINT`) instead",
                            rules, hidden_list(hidden));
      for (const Finding* h : hidden) {
        TraceStep t;
        t.path = h->path;
        t.line = h->line;
        t.column = h->column;
        t.role = "hidden";
        t.note = h->rule + (h->taxonomy.empty() ? "" : " " + h->taxonomy) + ": " + h->message;
        f.trace.push_back(std::move(t));
      }
      out.push_back(std::move(f));
    }
  }
  assign_fingerprints(out, p);
  attach_snippets(out, p);
  return out;
}

}  // namespace archscan::diff
