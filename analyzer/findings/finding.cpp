#include "findings/finding.h"

namespace archscan {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "note";
}

bool parse_severity(const std::string& s, Severity& out) {
  if (s == "note" || s == "info")
    out = Severity::Note;
  else if (s == "warning")
    out = Severity::Warning;
  else if (s == "error")
    out = Severity::Error;
  else
    return false;
  return true;
}

}  // namespace archscan
