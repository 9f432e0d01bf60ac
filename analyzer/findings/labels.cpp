#include "findings/labels.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

namespace archscan {
namespace {

std::vector<std::string> split_ids(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool is_taxonomy(const std::string& w) {
  return w.size() >= 2 && w[0] == 'T' && std::all_of(w.begin() + 1, w.end(), ::isdigit);
}

// A finding touches a line when its primary location or a step of its trace is on it.
bool touches(const Finding& f, const std::string& path, int line) {
  if (f.path == path && line >= f.line && line <= std::max(f.line, f.end_line)) return true;
  for (const auto& s : f.trace)
    if (s.path == path && s.line == line) return true;
  return false;
}

std::string describe(const Finding& f) {
  return fmt::format("{}:{} {}{}", f.path, f.line, f.rule, f.taxonomy.empty() ? "" : "(" + f.taxonomy + ")");
}

}  // namespace

std::vector<Label> parse_labels(const std::string& path, const std::string& text) {
  static const std::regex re(R"((?:#|//)\s*(expect|ok):\s*((?:[A-Za-z0-9_]+(?:\((?:note|warning|error)\))?[, \t]*)+))");
  std::vector<Label> out;
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string l = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::smatch m;
    if (l.find("message:") != std::string::npos || l.find("trace:") != std::string::npos) {
      static const std::regex text_re(R"re((?:#|//)\s*(message|trace):\s*([A-Za-z0-9_]+)\s+"([^"]*)")re");
      if (std::regex_search(l, m, text_re)) {
        Label label{path, line, m[2], true};
        (m[1] == "message" ? label.message : label.trace) = m[3];
        out.push_back(std::move(label));
      }
    } else if (l.find("expect:") != std::string::npos || l.find("ok:") != std::string::npos) {
      if (std::regex_search(l, m, re)) {
        bool fire = m[1] == "expect";
        for (const auto& id : split_ids(m[2])) out.push_back({path, line, id, fire});
      }
    }
    if (end == std::string::npos) break;
    start = end + 1;
    ++line;
  }
  return out;
}

std::string case_of(const std::string& path, const std::vector<std::string>& all_paths) {
  std::set<std::string> inits;
  for (const auto& p : all_paths)
    if (p.size() >= 11 && p.compare(p.size() - 11, 11, "__init__.py") == 0) inits.insert(p.substr(0, p.size() - 11));
  std::string best = path;
  for (size_t pos = path.find('/'); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    std::string dir = path.substr(0, pos + 1);
    if (inits.count(dir)) return dir.substr(0, dir.size() - 1);  // outermost package
  }
  return best;
}

std::vector<LabelCheck> check_labels(const std::vector<Label>& labels, const std::vector<Finding>& findings,
                                     const std::vector<std::string>& all_paths) {
  std::vector<LabelCheck> out;
  for (const auto& l : labels) {
    LabelCheck c;
    c.label = l;
    c.case_name = case_of(l.path, all_paths);
    if (l.what == "none") {
      std::vector<std::string> bad;
      for (const auto& f : findings)
        if (f.suppression.empty() && f.severity >= Severity::Warning && case_of(f.path, all_paths) == c.case_name)
          bad.push_back(describe(f));
      c.passed = bad.empty();
      c.found = !bad.empty();
      for (const auto& b : bad) c.detail += (c.detail.empty() ? "" : "; ") + b;
    } else if (!l.message.empty() || !l.trace.empty()) {
      std::vector<std::string> seen;
      for (const auto& f : findings) {
        if (!f.suppression.empty() || (f.rule != l.what && f.taxonomy != l.what) || !touches(f, l.path, l.line))
          continue;
        c.found = true;
        if (!l.message.empty()) {
          c.passed |= f.message.find(l.message) != std::string::npos;
          seen.push_back(f.message);
        }
        for (const auto& st : f.trace) {
          if (l.trace.empty() || st.path != l.path || st.line != l.line) continue;
          c.passed |= st.note.find(l.trace) != std::string::npos;
          seen.push_back(st.role + ": " + st.note);
        }
      }
      c.right_type = c.passed;
      if (!c.found)
        c.detail = l.what + " not reported on this line";
      else if (!c.passed)
        c.detail = fmt::format("no {} holds \"{}\"; seen: {}", l.message.empty() ? "trace step here" : "message",
                               l.message.empty() ? l.trace : l.message, fmt::join(seen, " | "));
    } else if (!l.must_fire) {
      std::vector<std::string> bad;
      for (const auto& f : findings)
        if (f.suppression.empty() && f.path == l.path && f.line == l.line && (f.rule == l.what || f.taxonomy == l.what))
          bad.push_back(describe(f));
      c.passed = bad.empty();
      for (const auto& b : bad) c.detail += (c.detail.empty() ? "" : "; ") + b;
    } else if (is_taxonomy(l.what)) {
      std::vector<std::string> other;
      for (const auto& f : findings) {
        if (!f.suppression.empty() || f.taxonomy.empty() || !touches(f, l.path, l.line)) continue;
        c.found = true;
        if (f.taxonomy == l.what)
          c.right_type = true;
        else
          other.push_back(f.taxonomy);
      }
      c.passed = c.right_type;
      c.found_type = c.right_type ? l.what : other.empty() ? std::string() : other.front();
      if (!c.found)
        c.detail = "no backdoor chain reported on this line";
      else if (!c.right_type)
        c.detail = "reported as " + fmt::format("{}", fmt::join(other, "/"));
    } else {
      // `CN003(note)`: the rule must fire with that severity.
      std::string rule = l.what, level;
      if (size_t open = rule.find('('); open != std::string::npos && rule.back() == ')') {
        level = rule.substr(open + 1, rule.size() - open - 2);
        rule = rule.substr(0, open);
      }
      std::vector<std::string> other;
      for (const auto& f : findings) {
        if (!f.suppression.empty() || f.rule != rule || !touches(f, l.path, l.line)) continue;
        if (level.empty() || level == to_string(f.severity))
          c.found = c.right_type = true;
        else
          other.push_back(to_string(f.severity));
      }
      c.passed = c.found;
      if (!c.found && other.empty())
        c.detail = rule + " not reported on this line";
      else if (!c.found)
        c.detail = fmt::format("{} reported as {}", rule, fmt::join(other, "/"));
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace archscan
