// SUP003: an inline suppression that the change under review adds or edits. Reported by
// `archscan diff` (analyzer/diff/added_suppressions.cpp); this entry gives it an id, a severity
// and a doc page, and lets --select / --ignore turn it on and off.
#include "rules/support.h"

namespace archscan::rules {
namespace {

class AddedSuppression : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"SUP003", "added-suppression", "suppression", Severity::Error,
                            "suppression comment added or edited by the change under review (archscan diff)"};
    return i;
  }
  void run(RuleContext&) const override {}
};

ARCHSCAN_REGISTER_RULE(AddedSuppression);

}  // namespace
}  // namespace archscan::rules
