#include "lsp/diagnostics.h"

#include <fmt/format.h>

#include <filesystem>

#include "findings/rule.h"
#include "lsp/document.h"
#include "sinks/sarif.h"

namespace archscan::lsp {

using nlohmann::json;

std::string file_uri(const std::string& abs_path) { return "file://" + sinks::uri_encode_path(abs_path); }

std::optional<std::string> uri_path(const std::string& uri) {
  if (uri.rfind("file://", 0) != 0) return std::nullopt;
  std::string s = uri.substr(7);
  if (!s.empty() && s[0] != '/') {  // file://host/path: only the local host
    size_t slash = s.find('/');
    if (slash == std::string::npos || s.substr(0, slash) != "localhost") return std::nullopt;
    s = s.substr(slash);
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  if (out.empty() || out[0] != '/') return std::nullopt;
  return std::filesystem::path(out).lexically_normal().string();
}

json range_of(const std::string* text, int line, int column, int end_line, int end_column) {
  line = std::max(1, line);
  std::string_view l = text ? line_text(*text, line) : std::string_view();
  const int start = column > 0 ? utf16_character(l, column) : 0;
  int el = end_line >= line ? end_line : line;
  std::string_view e = text ? line_text(*text, el) : std::string_view();
  int end = end_column > 0 && end_line >= line ? utf16_character(e, end_column) : utf16_character(e, int(e.size()) + 1);
  if (el == line && end <= start) end = std::max(start, utf16_character(l, int(l.size()) + 1));
  return {{"start", {{"line", line - 1}, {"character", start}}}, {"end", {{"line", el - 1}, {"character", end}}}};
}

namespace {

int lsp_severity(Severity s) {
  switch (s) {
    case Severity::Error: return 1;
    case Severity::Warning: return 2;
    case Severity::Note: return 3;
  }
  return 3;
}

std::string step_text(const TraceStep& s) {
  return s.note.empty() ? s.role : fmt::format("{}: {}", s.role, s.note);
}

}  // namespace

json diagnostic(const Finding& f, const std::string& root, const TextOf& text_of, bool hint) {
  json d = {{"range", range_of(text_of(f.path), f.line, f.column, f.end_line, f.end_column)},
            {"severity", hint ? 4 : lsp_severity(f.severity)},
            {"code", f.rule},
            {"codeDescription", {{"href", rule_doc_url(f.rule)}}},
            {"source", "archscan"},
            {"message", f.taxonomy.empty() || f.message.find(f.taxonomy) != std::string::npos
                            ? f.message
                            : fmt::format("{} ({})", f.message, f.taxonomy)}};
  if (hint) d["message"] = fmt::format("{} [dismissed: {}]", d["message"].get<std::string>(), f.suppression_reason);
  json related = json::array();
  for (const TraceStep& s : f.trace) {
    const std::string& path = s.path.empty() ? f.path : s.path;
    if (s.line <= 0 || path.empty() || path[0] == '<') continue;
    related.push_back(
        {{"location",
          {{"uri", file_uri((std::filesystem::path(root) / path).string())},
           {"range", range_of(text_of(path), s.line, s.column, 0, 0)}}},
         {"message", step_text(s)}});
  }
  if (!related.empty()) d["relatedInformation"] = std::move(related);
  d["data"] = {{"fingerprint", f.fingerprint}, {"rule", f.rule}, {"taxonomy", f.taxonomy}};
  return d;
}

std::optional<json> coverage_diagnostic(const FileReport& report) {
  if (report.status == "ok" || report.status.empty()) return std::nullopt;
  const bool partial = report.status == "partial";
  const std::string what = partial ? "analysed only in part" : "not analysed";
  // A partial parse is the normal state of a file being typed: a hint, not an entry in the list.
  return json{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
              {"severity", partial ? 4 : 3},
              {"source", "archscan"},
              {"message", fmt::format("archscan: this file was {} ({}): {}", what, report.status, report.message)}};
}

std::string hover_markdown(const Finding& f) {
  std::string md = fmt::format("**archscan {}**{} ({}): {}\n", f.rule, f.taxonomy.empty() ? "" : " " + f.taxonomy,
                               to_string(f.severity), f.message);
  if (!f.trace.empty()) {
    md += "\nTrace:\n";
    int n = 0;
    for (const TraceStep& s : f.trace)
      md += fmt::format("{}. `{}:{}` {}\n", ++n, s.path.empty() ? f.path : s.path, s.line, step_text(s));
  }
  if (const std::string doc = rule_doc(f.rule); !doc.empty()) md += "\n---\n\n" + doc;
  md += fmt::format("\n[{} documentation]({})\n", f.rule, rule_doc_url(f.rule));
  return md;
}

}  // namespace archscan::lsp
