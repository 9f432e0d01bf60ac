// The rule interface and registry. One rule per file under rules/, registered with
// ARCHSCAN_REGISTER_RULE; adding a rule touches nothing else. Rules see only the IR and analyses.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "findings/finding.h"

namespace archscan {
namespace ir {
struct Program;
}
class Analyses;

struct RuleInfo {
  std::string id;        // "BD001"
  std::string name;      // kebab-case, "backdoor-chain"
  std::string category;  // "backdoor", "building-block", "concealment", "hardware", "batch", "execution"
  Severity severity = Severity::Warning;  // default severity
  std::string summary;                    // one line
  // Precedence, applied after all rules ran (findings/precedence.h): a finding of this rule is
  // dropped when a finding of one of these rules claims its subject (Finding::subject, ::claims).
  std::vector<std::string> superseded_by = {};
  // At most one finding of this rule per source line (the first reported).
  bool one_per_line = false;
  // Reads the shared input-flow analysis (Analyses::flows): the pipeline computes it once, on
  // every thread, before the rules run.
  bool uses_flow = false;
};

// What a rule gets: the program and the shared analyses, and a sink for its findings.
class RuleContext {
 public:
  RuleContext(const ir::Program& p, const Analyses& a, std::vector<Finding>& out)
      : program(p), analyses(a), out_(out) {}
  const ir::Program& program;
  const Analyses& analyses;
  void report(Finding f) { out_.push_back(std::move(f)); }

 private:
  std::vector<Finding>& out_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  virtual void run(RuleContext& ctx) const = 0;
};

class RuleRegistry {
 public:
  static RuleRegistry& instance();
  void add(std::unique_ptr<Rule> r);
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  const Rule* find(const std::string& id_or_name) const;

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
};

// The doc page of a rule (rules/docs/<ID>.md, compiled in by the rules layer). Empty if none.
std::string rule_doc(const std::string& id);
// Adds doc pages by rule id (the rules layer's generated rule_docs.cpp calls it at start-up).
void register_rule_docs(std::map<std::string, std::string> docs);
// The doc page's address on the project's home page (SARIF helpUri, editor links).
std::string rule_doc_url(const std::string& id);

template <class R>
struct RuleRegistrar {
  RuleRegistrar() { RuleRegistry::instance().add(std::make_unique<R>()); }
};

}  // namespace archscan

#define ARCHSCAN_REGISTER_RULE(Class) static ::archscan::RuleRegistrar<Class> archscan_registrar_##Class
