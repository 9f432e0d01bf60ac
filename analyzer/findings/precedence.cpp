#include "findings/precedence.h"

#include <map>
#include <set>
#include <string>
#include <utility>

namespace archscan {

void apply_precedence(const std::vector<const RuleInfo*>& rules, std::vector<std::vector<Finding>>& found) {
  std::map<std::string, std::set<std::string>> claimed;  // rule id -> subjects its findings claim
  for (size_t i = 0; i < rules.size(); ++i)
    for (const auto& f : found[i]) claimed[rules[i]->id].insert(f.claims.begin(), f.claims.end());
  auto superseded = [&](const RuleInfo& info, const Finding& f) {
    if (f.subject.empty()) return false;
    for (const auto& by : info.superseded_by)
      if (auto it = claimed.find(by); it != claimed.end() && it->second.count(f.subject)) return true;
    return false;
  };
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleInfo& info = *rules[i];
    std::set<std::pair<std::string, int>> lines;
    std::vector<Finding> kept;
    for (auto& f : found[i]) {
      if (superseded(info, f)) continue;
      if (info.one_per_line && !lines.insert({f.path, f.line}).second) continue;
      f.subject.clear();
      f.claims.clear();
      kept.push_back(std::move(f));
    }
    found[i] = std::move(kept);
  }
}

}  // namespace archscan
