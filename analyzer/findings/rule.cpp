#include "findings/rule.h"

#include <algorithm>

namespace archscan {

RuleRegistry& RuleRegistry::instance() {
  static RuleRegistry r;
  return r;
}

void RuleRegistry::add(std::unique_ptr<Rule> r) {
  rules_.push_back(std::move(r));
  std::sort(rules_.begin(), rules_.end(), [](const auto& a, const auto& b) { return a->info().id < b->info().id; });
}

const Rule* RuleRegistry::find(const std::string& id_or_name) const {
  for (const auto& r : rules_)
    if (r->info().id == id_or_name || r->info().name == id_or_name) return r.get();
  return nullptr;
}

namespace {
std::map<std::string, std::string>& rule_docs() {
  static std::map<std::string, std::string> docs;
  return docs;
}
}  // namespace

void register_rule_docs(std::map<std::string, std::string> docs) { rule_docs().merge(docs); }

std::string rule_doc(const std::string& id) {
  auto it = rule_docs().find(id);
  return it == rule_docs().end() ? std::string() : it->second;
}

std::string rule_doc_url(const std::string& id) {
  return std::string(ARCHSCAN_HOMEPAGE) + "/blob/main/rules/docs/" + id + ".md";
}

}  // namespace archscan
