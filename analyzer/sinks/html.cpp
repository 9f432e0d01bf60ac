#include "sinks/html.h"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "findings/rule.h"
#include "sinks/registry.h"

namespace archscan::sinks {
using nlohmann::json;

namespace {
constexpr std::string_view kMarker = "/*ARCHSCAN_DATA*/";

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

// Fallback for builds without reports/ (add_subdirectory(reports) links the embedded template,
// whose definition replaces this one): reads the template from the source tree.
__attribute__((weak)) std::string_view report_template() {
  static const std::string text = [] {
    namespace fs = std::filesystem;
    fs::path p = fs::path(__FILE__).parent_path().parent_path().parent_path() / "reports" / "report.html";
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return text;
}

std::string render_report(const json& data) {
  std::string_view tmpl = report_template();
  size_t at = tmpl.find(kMarker);
  if (at == std::string_view::npos) throw std::runtime_error("the HTML report template has no data marker");
  std::string payload = data.dump(-1, ' ', false, json::error_handler_t::replace);
  // '<', '>' and '&' only occur inside JSON strings, where \u escapes mean the same: no `</script>`
  // or `<!--` in scanned text can end the data element.
  std::string escaped;
  escaped.reserve(payload.size() + payload.size() / 16);
  for (char c : payload) {
    if (c == '<')
      escaped += "\\u003c";
    else if (c == '>')
      escaped += "\\u003e";
    else if (c == '&')
      escaped += "\\u0026";
    else
      escaped += c;
  }
  std::string out;
  out.reserve(tmpl.size() + escaped.size());
  out.append(tmpl.substr(0, at));
  out.append(escaped);
  out.append(tmpl.substr(at + kMarker.size()));
  return out;
}

std::string taxonomy_name(const std::string& type) {
  if (type.size() < 2 || type[0] != 'T') return {};
  int n = 0;
  try {
    n = std::stoi(type.substr(1));
  } catch (...) {
    return {};
  }
  if (n < 1 || n > 12) return {};
  static const char* trigger[] = {"op", "con"};
  static const char* path[] = {"sep", "sha", "int"};
  static const char* integ[] = {"tar", "un"};
  int k = n - 1;
  return fmt::format("{}/{}/{}", trigger[k / 6], path[(k / 2) % 3], integ[k % 2]);
}

json report_finding_json(const Finding& f) {
  json j = {{"fingerprint", f.fingerprint},
            {"rule", f.rule},
            {"severity", to_string(f.severity)},
            {"path", f.path},
            {"line", f.line},
            {"column", f.column},
            {"end_line", f.end_line},
            {"end_column", f.end_column},
            {"message", f.message},
            {"scope", f.scope},
            {"module", f.module},
            {"taxonomy", f.taxonomy},
            {"suppression", f.suppression},
            {"suppression_reason", f.suppression_reason}};
  if (const Rule* r = RuleRegistry::instance().find(f.rule)) {
    j["rule_name"] = r->info().name;
    j["rule_summary"] = r->info().summary;
  }
  if (!f.taxonomy.empty()) j["taxonomy_name"] = taxonomy_name(f.taxonomy);
  json trace = json::array();
  for (const TraceStep& s : f.trace)
    trace.push_back({{"path", s.path.empty() ? f.path : s.path},
                     {"line", s.line},
                     {"column", s.column},
                     {"role", s.role},
                     {"note", s.note}});
  j["trace"] = std::move(trace);
  return j;
}

json report_data(const ScanResult& r) {
  namespace fs = std::filesystem;
  std::map<std::string, std::vector<std::string>> cache;
  auto lines_of = [&](const std::string& path) -> const std::vector<std::string>& {
    auto it = cache.find(path);
    if (it != cache.end()) return it->second;
    std::vector<std::string> lines;
    if (!path.empty() && path[0] != '<') {
      std::ifstream in(fs::path(r.root) / path, std::ios::binary);
      for (std::string l; std::getline(in, l);) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        lines.push_back(std::move(l));
      }
    }
    return cache.emplace(path, std::move(lines)).first->second;
  };
  auto trim = [](const std::string& s) {
    size_t b = s.find_first_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, s.find_last_not_of(" \t") - b + 1);
  };

  json findings = json::array();
  for (const Finding& f : r.findings) {
    json j = report_finding_json(f);
    const auto& src = lines_of(f.path);
    if (f.line >= 1 && static_cast<size_t>(f.line) <= src.size()) {
      int first = std::max(1, f.line - 2);
      int last = std::min(static_cast<int>(src.size()), std::min(std::max(f.line, f.end_line), f.line + 30) + 2);
      std::string snippet;
      for (int l = first; l <= last; ++l) snippet += src[static_cast<size_t>(l - 1)] + "\n";
      j["snippet"] = snippet;
      j["snippet_line"] = first;
    } else if (!f.snippet.empty()) {
      j["snippet"] = f.snippet;
      j["snippet_line"] = f.line;
    }
    for (auto& step : j["trace"]) {
      const auto& tl = lines_of(step["path"].get<std::string>());
      int line = step["line"].get<int>();
      if (line >= 1 && static_cast<size_t>(line) <= tl.size()) step["text"] = trim(tl[static_cast<size_t>(line - 1)]);
    }
    j["state"] = f.suppression == "review" ? "dismissed" : "open";
    if (f.suppression == "review") {
      // The reason reads "<state>: <why>".
      auto colon = f.suppression_reason.find(':');
      j["state"] = colon == std::string::npos ? f.suppression_reason : f.suppression_reason.substr(0, colon);
    }
    j["history"] = json::array();
    findings.push_back(std::move(j));
  }
  json problems = json::array();
  for (const FileReport& fr : r.files)
    if (!fr.status.empty() && fr.status != "ok")
      problems.push_back({{"path", fr.path}, {"status", fr.status}, {"message", fr.message}});
  return {{"tool", {{"name", "archscan"}, {"version", ARCHSCAN_VERSION}}},
          {"generated_at", iso_now()},
          {"root", r.root},
          {"run", nullptr},
          {"files", {{"total", r.files.size()}, {"problems", std::move(problems)}}},
          {"findings", std::move(findings)}};
}

namespace {
const bool registered =
    (register_sink("html", [](const ScanResult& r, std::ostream& os) { os << render_report(report_data(r)); }), true);
}  // namespace

}  // namespace archscan::sinks
