// SUP001: a suppression comment without a rule or a reason. The finding is reported by the
// inline-suppression post-processor (analyzer/review/suppressions.cpp); this entry gives it an id,
// a severity and a doc page, and lets --select / --ignore turn it on and off.
#include "rules/support.h"

namespace archscan::rules {
namespace {

class MalformedSuppression : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"SUP001", "malformed-suppression", "suppression", Severity::Warning,
                            "suppression comment without a rule id or without a reason"};
    return i;
  }
  void run(RuleContext&) const override {}
};

ARCHSCAN_REGISTER_RULE(MalformedSuppression);

}  // namespace
}  // namespace archscan::rules
