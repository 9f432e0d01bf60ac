#include "review/suppressions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "core/active_rules.h"
#include "findings/fingerprint.h"
#include "findings/rule.h"

namespace archscan::review {
namespace {

constexpr const char* kMalformed = "SUP001";
constexpr const char* kUnused = "SUP002";

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Splits text into lines (without terminators).
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// The innermost function of `file` whose span holds `line`: the scope of a SUP finding.
std::string scope_at(const ir::Program& p, int32_t file, int line) {
  const ir::Function* best = nullptr;
  for (const auto& fn : p.functions) {
    if (fn.file != file || fn.loc.line <= 0 || line < fn.loc.line || line > std::max(fn.loc.line, fn.loc.end_line))
      continue;
    if (fn.name == "<module>") continue;
    if (!best || fn.loc.line > best->loc.line ||
        (fn.loc.line == best->loc.line && fn.loc.end_line < best->loc.end_line))
      best = &fn;
  }
  if (best) return best->qualname;
  return p.file(file).module_name;
}

Severity default_severity(const char* id, Severity fallback) {
  const Rule* r = RuleRegistry::instance().find(id);
  return r ? r->info().severity : fallback;
}

}  // namespace

std::string_view comment_marker(std::string_view language) {
  if (language == "python") return "#";
  if (language == "cpp" || language == "c++" || language == "c") return "//";
  return {};
}

namespace {

// Matches `marker [ \t]* archscan [ \t]* : [ \t]* ignore\b ([rules])? rest` at `pos` of `l`. Written
// by hand: std::regex recurses per character and overflowed the stack on long lines.
struct CommentMatch {
  bool bracketed = false;
  std::string_view rules, rest;
};

std::optional<CommentMatch> match_comment(std::string_view l, size_t pos, std::string_view marker) {
  size_t i = pos + marker.size();
  auto blanks = [&] {
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
  };
  auto word = [&](std::string_view w) {
    if (l.substr(i, w.size()) != w) return false;
    i += w.size();
    return true;
  };
  blanks();
  if (!word("archscan")) return std::nullopt;
  blanks();
  if (!word(":")) return std::nullopt;
  blanks();
  if (!word("ignore")) return std::nullopt;
  if (i < l.size() && (std::isalnum(static_cast<unsigned char>(l[i])) || l[i] == '_')) return std::nullopt;
  CommentMatch m;
  if (i < l.size() && l[i] == '[') {
    size_t close = l.find(']', i + 1);
    if (close != std::string_view::npos) {
      m.bracketed = true;
      m.rules = l.substr(i + 1, close - i - 1);
      i = close + 1;
    }
  }
  m.rest = l.substr(i);
  return m;
}

}  // namespace

std::vector<InlineSuppression> parse_suppressions(std::string_view text, std::string_view marker) {
  std::vector<InlineSuppression> out;
  if (marker.empty() || text.find("archscan") == std::string_view::npos) return out;
  auto lines = lines_of(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (l.find("archscan") == std::string_view::npos) continue;
    // The leftmost marker that starts a suppression comment.
    std::optional<CommentMatch> m;
    size_t pos = l.find(marker);
    for (; pos != std::string_view::npos; pos = l.find(marker, pos + 1))
      if ((m = match_comment(l, pos, marker))) break;
    if (!m) continue;
    InlineSuppression s;
    s.line = static_cast<int>(i + 1);
    s.column = static_cast<int>(pos + 1);
    s.own_line = trim(l.substr(0, pos)).empty();
    s.bracketed = m->bracketed;
    if (m->bracketed) {
      std::string list(m->rules);
      std::replace(list.begin(), list.end(), ',', ' ');
      size_t a = 0;
      while ((a = list.find_first_not_of(" \t", a)) != std::string::npos) {
        size_t b = list.find_first_of(" \t", a);
        s.rules.push_back(list.substr(a, b == std::string::npos ? std::string::npos : b - a));
        a = b;
      }
    }
    // The reason: whatever follows, less leading separators (`: reason`, `- reason`, `— reason`).
    std::string_view rest = trim(m->rest);
    while (!rest.empty()) {
      if (rest[0] == ':' || rest[0] == '-' || rest[0] == ' ' || rest[0] == '\t')
        rest.remove_prefix(1);
      else if (rest.substr(0, 3) == "\xE2\x80\x94" || rest.substr(0, 3) == "\xE2\x80\x93")
        rest.remove_prefix(3);
      else
        break;
    }
    s.reason = std::string(trim(rest));
    out.push_back(std::move(s));
  }
  // A comment alone on its line covers the next line that is not itself such a comment.
  for (size_t k = 0; k < out.size(); ++k) {
    if (!out[k].own_line) continue;
    int next = out[k].line + 1;
    for (size_t j = k + 1; j < out.size() && out[j].line == next && out[j].own_line; ++j) ++next;
    if (next <= static_cast<int>(lines.size())) out[k].covers_next = next;
  }
  return out;
}

void apply_inline_suppressions(ScanResult& result, const ir::Program& program, const ScanOptions& opts) {
  // --no-inline-suppressions: the comments are written by the same hand as the code; none counts.
  if (opts.no_inline_suppressions) return;
  const auto& registry = RuleRegistry::instance();
  const RuleInfo* malformed_info = registry.find(kMalformed) ? &registry.find(kMalformed)->info() : nullptr;
  const RuleInfo* unused_info = registry.find(kUnused) ? &registry.find(kUnused)->info() : nullptr;
  const bool report_malformed = !malformed_info || archscan::rule_selected(*malformed_info, opts);
  const bool report_unused = !unused_info || archscan::rule_selected(*unused_info, opts);

  // Findings by (path, line).
  std::map<std::pair<std::string, int>, std::vector<size_t>> at;
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    if (f.rule == kMalformed || f.rule == kUnused) continue;
    at[{f.path, f.line}].push_back(i);
  }

  std::vector<Finding> added;
  auto report = [&](const char* rule, Severity fallback, int32_t file_index, int line, int column,
                    std::string message) {
    const ir::SourceFile& sf = program.file(file_index);
    Finding f;
    f.rule = rule;
    f.severity = default_severity(rule, fallback);
    f.path = sf.path;
    f.line = line;
    f.column = column;
    f.end_line = line;
    f.end_column = static_cast<int>(sf.line_text(line).size()) + 1;
    f.message = std::move(message);
    f.scope = scope_at(program, file_index, line);
    f.snippet = std::string(sf.line_text(line));
    added.push_back(std::move(f));
  };

  for (size_t fi = 0; fi < program.files.size(); ++fi) {
    const ir::SourceFile& sf = program.files[fi];
    auto sups = parse_suppressions(sf.text, comment_marker(sf.language));
    for (const InlineSuppression& s : sups) {
      const int32_t file_index = static_cast<int32_t>(fi);
      if (!s.valid()) {
        if (!report_malformed) continue;
        std::string what = !s.bracketed      ? "names no rule (a bare `ignore` would hide every finding)"
                           : s.rules.empty() ? "has an empty rule list"
                                             : "gives no reason";
        report(kMalformed, Severity::Warning, file_index, s.line, s.column,
               fmt::format("suppression {}; it is ignored. Write `archscan: ignore[RULE] reason`", what));
        continue;
      }
      for (const std::string& name : s.rules) {
        const Rule* named = registry.find(name);
        bool used = false;
        for (int line : {s.line, s.covers_next}) {
          if (line <= 0) continue;
          auto it = at.find({sf.path, line});
          if (it == at.end()) continue;
          for (size_t idx : it->second) {
            Finding& f = result.findings[idx];
            bool match =
                f.rule == name || (named && named->info().id == f.rule) || (!f.taxonomy.empty() && f.taxonomy == name);
            if (!match) continue;
            used = true;
            if (f.suppression.empty()) {
              f.suppression = "inline";
              f.suppression_reason = s.reason;
            }
          }
        }
        if (used || !report_unused) continue;
        bool taxonomy_type =
            name.size() >= 2 && name[0] == 'T' && name.find_first_not_of("0123456789", 1) == std::string::npos;
        if (!named && !taxonomy_type) {
          report(kUnused, Severity::Note, file_index, s.line, s.column,
                 fmt::format("suppression names `{}`, which is no archscan rule", name));
        } else if (!named || archscan::rule_selected(named->info(), opts)) {
          std::string where =
              s.covers_next ? fmt::format("line {} or {}", s.line, s.covers_next) : fmt::format("line {}", s.line);
          report(kUnused, Severity::Note, file_index, s.line, s.column,
                 fmt::format("unused suppression: no {} finding on {}", name, where));
        }
      }
    }
  }

  if (added.empty()) return;
  assign_fingerprints(added, program);
  for (auto& f : added) result.findings.push_back(std::move(f));
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.line, a.column, a.rule) < std::tie(b.path, b.line, b.column, b.rule);
  });
}

namespace {
const bool registered =
    (register_post_processor({"inline-suppressions", 10,
                              [](ScanResult& r, const ir::Program& p, const ScanOptions& o, std::string&) {
                                apply_inline_suppressions(r, p, o);
                                return true;
                              },
                              /*per_file=*/true}),
     true);
}  // namespace

}  // namespace archscan::review
