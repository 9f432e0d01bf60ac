// Rule precedence (findings/precedence.h): declared by each rule's RuleInfo, applied in one step.
#include <gtest/gtest.h>

#include "findings/precedence.h"

namespace archscan {
namespace {

Finding at(const std::string& rule, int line, std::string subject = {}, std::vector<std::string> claims = {}) {
  Finding f;
  f.rule = rule;
  f.path = "m.py";
  f.line = line;
  f.subject = std::move(subject);
  f.claims = std::move(claims);
  return f;
}

TEST(Precedence, ClaimedSubjectGivesWayToTheSupersedingRule) {
  RuleInfo chain{"BD001", "backdoor-chain", "backdoor", Severity::Error, ""};
  RuleInfo block{"BB005", "weight-free-gate", "building-block", Severity::Warning, "", {"BD001"}};
  std::vector<std::vector<Finding>> found = {{at("BD001", 9, "", {"s-gate", "s-out"})},
                                             {at("BB005", 7, "s-gate"), at("BB005", 12, "s-other")}};
  apply_precedence({&chain, &block}, found);
  ASSERT_EQ(found[0].size(), 1u);
  EXPECT_TRUE(found[0][0].claims.empty());  // links are cleared: never stored
  ASSERT_EQ(found[1].size(), 1u);
  EXPECT_EQ(found[1][0].line, 12);
  EXPECT_TRUE(found[1][0].subject.empty());
}

TEST(Precedence, OnlyTheDeclaredRuleSupersedes) {
  RuleInfo other{"HW001", "hardware-value", "hardware", Severity::Error, ""};
  RuleInfo block{"BB005", "weight-free-gate", "building-block", Severity::Warning, "", {"BD001"}};
  std::vector<std::vector<Finding>> found = {{at("HW001", 9, "", {"s-gate"})}, {at("BB005", 7, "s-gate")}};
  apply_precedence({&other, &block}, found);
  EXPECT_EQ(found[1].size(), 1u);
}

TEST(Precedence, OnePerLineKeepsTheFirstThatIsNotSuperseded) {
  RuleInfo chain{"BD001", "backdoor-chain", "backdoor", Severity::Error, ""};
  RuleInfo block{"BB002", "raw-input-after-backbone", "building-block", Severity::Note, "", {"BD001"}, true};
  Finding a = at("BB002", 7, "s-a"), b = at("BB002", 7, "s-b"), c = at("BB002", 7, "s-c");
  a.message = "first, claimed";
  b.message = "second";
  c.message = "third, same line";
  std::vector<std::vector<Finding>> found = {{at("BD001", 3, "", {"s-a"})}, {a, b, c}};
  apply_precedence({&chain, &block}, found);
  ASSERT_EQ(found[1].size(), 1u);
  EXPECT_EQ(found[1][0].message, "second");
}

TEST(Precedence, RulesWithoutDeclarationsKeepEverything) {
  RuleInfo plain{"CN002", "monkey-patching", "concealment", Severity::Warning, ""};
  std::vector<std::vector<Finding>> found = {{at("CN002", 4, "x"), at("CN002", 4, "x")}};
  apply_precedence({&plain}, found);
  EXPECT_EQ(found[0].size(), 2u);
}

}  // namespace
}  // namespace archscan
