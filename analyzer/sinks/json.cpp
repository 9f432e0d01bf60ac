// JSON output. Field names are part of the interface: keep them stable.
#include <nlohmann/json.hpp>

#include "sinks/json_format.h"
#include "sinks/registry.h"

namespace archscan {

nlohmann::json finding_json(const Finding& f) {
  nlohmann::json j = {{"rule", f.rule},
                      {"taxonomy", f.taxonomy.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.taxonomy)},
                      {"severity", to_string(f.severity)},
                      {"path", f.path},
                      {"line", f.line},
                      {"column", f.column},
                      {"end_line", f.end_line},
                      {"end_column", f.end_column},
                      {"message", f.message},
                      {"fingerprint", f.fingerprint},
                      {"scope", f.scope}};
  if (!f.module.empty()) j["module"] = f.module;
  nlohmann::json trace = nlohmann::json::array();
  for (const auto& s : f.trace)
    trace.push_back({{"path", s.path}, {"line", s.line}, {"column", s.column}, {"role", s.role}, {"note", s.note}});
  j["trace"] = std::move(trace);
  if (!f.suppression.empty()) j["suppression"] = {{"kind", f.suppression}, {"reason", f.suppression_reason}};
  // A dismissed finding's reason is "<review state>[: <reason>]" (store::review_suppression_reason).
  if (f.suppression == "review") j["review_state"] = f.suppression_reason.substr(0, f.suppression_reason.find(':'));
  return j;
}

nlohmann::json scan_json(const ScanResult& r) {
  nlohmann::json files = nlohmann::json::array();
  // Files not analysed at all (too large, unsupported type, unreadable): a clean result says
  // nothing about them.
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& f : r.files) {
    if ((f.status == "skipped" || f.status == "error") && !(f.path.size() && f.path[0] == '<'))
      skipped.push_back({{"path", f.path}, {"status", f.status}, {"reason", f.message}});
    nlohmann::json j = {{"path", f.path}, {"language", f.language}, {"status", f.status}};
    if (!f.message.empty()) j["message"] = f.message;
    if (!f.mode.empty()) j["mode"] = f.mode;
    files.push_back(std::move(j));
  }
  nlohmann::json findings = nlohmann::json::array();
  size_t shown = 0, suppressed = 0;
  for (const auto& f : r.findings) {
    // Findings dismissed in review reach the sink only with --all: list them (marked) too. Findings
    // hidden by an inline comment are always counted (the comment is written by the same hand as
    // the code) and listed with --all.
    const bool inline_suppressed = !f.suppression.empty() && f.suppression != "review";
    if (inline_suppressed) ++suppressed;
    if (inline_suppressed && !r.list_suppressed) continue;
    findings.push_back(finding_json(f));
    ++shown;
  }
  return {{"tool", {{"name", "archscan"}, {"version", ARCHSCAN_VERSION}}},
          {"root", r.root},
          {"files", std::move(files)},
          {"findings", std::move(findings)},
          {"summary",
           {{"files", r.files.size()},
            {"findings", shown},
            {"suppressed", suppressed},
            {"cached_files", r.cached_files},
            {"skipped_files", std::move(skipped)},
            {"seconds", r.seconds}}}};
}

namespace {
const bool registered =
    (register_sink("json",
                   [](const ScanResult& r, std::ostream& os) {
                     os << scan_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
                   }),
     true);
}  // namespace

}  // namespace archscan
