#include "core/active_rules.h"

#include "base/hash.h"

namespace archscan::review {

std::vector<const Rule*> active_rules(const ScanOptions& opts) {
  std::vector<const Rule*> out;
  for (const auto& r : RuleRegistry::instance().rules())
    if (archscan::rule_selected(r->info(), opts)) out.push_back(r.get());
  return out;
}

std::vector<std::string> active_rule_ids(const ScanOptions& opts) {
  std::vector<std::string> out;
  for (const Rule* r : active_rules(opts)) out.push_back(r->info().id);
  return out;
}

std::string ruleset_hash(const ScanOptions& opts) {
  std::string key = ARCHSCAN_VERSION;
  for (const Rule* r : active_rules(opts)) {
    const RuleInfo& i = r->info();
    key += '\x1e' + i.id + '\x1f' + i.name + '\x1f' + to_string(i.severity) + '\x1f' + i.summary;
  }
  return hash_hex(key);
}

}  // namespace archscan::review
