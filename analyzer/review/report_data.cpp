#include "review/report_data.h"

#include "sinks/html.h"

namespace archscan::review {
using nlohmann::json;

json report_data(store::Store& st, const store::RunInfo& run) {
  store::FindingQuery q;
  q.run_id = run.id;
  json findings = json::array();
  for (const store::StoredFinding& sf : st.findings(q)) {
    json j = sinks::report_finding_json(sf.finding);
    for (size_t i = 0; i < j["trace"].size() && i < sf.trace_text.size(); ++i)
      if (!sf.trace_text[i].empty()) j["trace"][i]["text"] = sf.trace_text[i];
    if (!sf.snippet.empty()) {
      j["snippet"] = sf.snippet;
      j["snippet_line"] = sf.snippet_line;
    }
    j["state"] = store::to_string(sf.review.state);
    j["first_seen"] = sf.first_seen;
    j["last_seen"] = sf.last_seen;
    json history = json::array();
    for (const store::Review& r : st.history(sf.finding.fingerprint))
      history.push_back({{"state", store::to_string(r.state)},
                         {"reason", r.reason},
                         {"author", r.author},
                         {"at", r.at},
                         {"run", r.run_id ? json(r.run_id) : json(nullptr)}});
    j["history"] = std::move(history);
    findings.push_back(std::move(j));
  }
  json problems = json::array();
  auto files = st.files(run.id);
  for (const store::StoredFile& f : files)
    if (!f.status.empty() && f.status != "ok")
      problems.push_back({{"path", f.path}, {"status", f.status}, {"message", f.message}});
  return {{"tool", {{"name", "archscan"}, {"version", ARCHSCAN_VERSION}}},
          {"generated_at", store::now_iso8601()},
          {"root", run.root},
          {"run",
           {{"id", run.id},
            {"started_at", run.started_at},
            {"finished_at", run.finished_at},
            {"tool_version", run.tool_version},
            {"ruleset_hash", run.ruleset_hash},
            {"arguments", run.arguments},
            {"seconds", run.seconds}}},
          {"files", {{"total", files.size()}, {"problems", std::move(problems)}}},
          {"findings", std::move(findings)}};
}

}  // namespace archscan::review
