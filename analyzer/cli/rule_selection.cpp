#include "cli/rule_selection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "findings/rule.h"

namespace archscan::cli {
namespace {

std::string cased(std::string s, int (*f)(int)) {
  for (auto& c : s) c = static_cast<char>(f(static_cast<unsigned char>(c)));
  return s;
}

bool names_a_rule(const std::string& s) {
  for (const auto& r : RuleRegistry::instance().rules()) {
    const RuleInfo& i = r->info();
    if (s == i.id || s == i.name || i.id.rfind(s, 0) == 0) return true;
  }
  return false;
}

}  // namespace

bool resolve_rule_selection(std::vector<std::string>& entries, const std::string& option, std::string& error) {
  for (auto& e : entries) {
    if (!e.empty() && names_a_rule(e)) continue;
    for (const std::string& c : {cased(e, ::toupper), cased(e, ::tolower)})
      if (!c.empty() && names_a_rule(c)) {
        e = c;
        break;
      }
    if (e.empty() || !names_a_rule(e)) {
      error = fmt::format("{} {}: no rule has this id, name or id prefix (see `archscan rules`)", option, e);
      return false;
    }
  }
  return true;
}

}  // namespace archscan::cli
