// SUP002: a suppression comment that hides nothing. Reported by the inline-suppression
// post-processor (analyzer/review/suppressions.cpp); this entry gives it an id, a severity and a doc
// page, and lets --select / --ignore turn it on and off.
#include "rules/support.h"

namespace archscan::rules {
namespace {

class UnusedSuppression : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"SUP002", "unused-suppression", "suppression", Severity::Note,
                            "suppression comment that matches no finding"};
    return i;
  }
  void run(RuleContext&) const override {}
};

ARCHSCAN_REGISTER_RULE(UnusedSuppression);

}  // namespace
}  // namespace archscan::rules
