// A finding: what a rule reports. Sinks (text, JSON, SARIF, SQLite, HTML) consume these and know
// nothing of how they were found.
#pragma once

#include <string>
#include <vector>

namespace archscan {

enum class Severity { Note = 0, Warning = 1, Error = 2 };
const char* to_string(Severity s);
bool parse_severity(const std::string& s, Severity& out);

// One step of a finding's trace: input -> detector ops -> propagation -> integration.
struct TraceStep {
  std::string path;  // relative to the scan root
  int line = 0;
  int column = 0;
  std::string role;  // "input", "detector", "propagation", "integration", "source", "sink", ...
  std::string note;
};

struct Finding {
  std::string rule;      // rule id, e.g. "BD001"
  std::string taxonomy;  // "T1".."T12" for complete chains, empty otherwise
  Severity severity = Severity::Warning;
  std::string path;  // relative to the scan root
  int line = 0, column = 0, end_line = 0, end_column = 0;
  std::string message;
  std::string scope;   // enclosing scope ("pkg.mod.Class.forward"), part of the fingerprint
  std::string module;  // the model module the finding is about, when there is one
  std::vector<TraceStep> trace;
  std::string snippet;      // the flagged source line(s), filled by the pipeline
  std::string fingerprint;  // filled by fingerprint() after all findings of a scan are known
  // Set when the finding is suppressed: "inline" (an `archscan: ignore[...]` comment) or "review"
  // (dismissed in the review store); suppressed findings are kept for SARIF and the store.
  std::string suppression;
  std::string suppression_reason;
  // Links between findings of one run, for rule precedence (findings/precedence.h); never stored.
  // `subject` names what the finding is about (an opaque key a rule builds, e.g. from an operation's
  // source span); `claims` lists the subjects this finding already covers.
  std::string subject;
  std::vector<std::string> claims;
};

}  // namespace archscan
