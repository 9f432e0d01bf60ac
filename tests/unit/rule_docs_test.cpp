// Every registered rule has a complete doc page (Ruff's `ruff rule CODE`): what it finds, why it
// matters, a bad and a good example, how to suppress it, and a link to the threat model.
#include <gtest/gtest.h>

#include <filesystem>

#include "findings/rule.h"

namespace archscan {
namespace {

TEST(RuleDocs, EveryRegisteredRuleHasACompletePage) {
  const auto& rules = RuleRegistry::instance().rules();
  ASSERT_FALSE(rules.empty());
  for (const auto& r : rules) {
    const std::string& id = r->info().id;
    std::string doc = rule_doc(id);
    ASSERT_FALSE(doc.empty()) << id << " has no page in rules/docs/" << id << ".md";
    EXPECT_EQ(doc.rfind("# " + id, 0), 0u) << id << ": the page starts with its id";
    for (const char* section : {"## What it finds", "## Why it matters", "## Bad", "## Good", "## How to suppress"})
      EXPECT_NE(doc.find(section), std::string::npos) << id << " lacks `" << section << "`";
    EXPECT_NE(doc.find("```"), std::string::npos) << id << " has no code example";
    EXPECT_NE(doc.find("docs/threat-model.md"), std::string::npos) << id << " does not link the threat model";
  }
}

TEST(RuleDocs, EveryPageBelongsToARegisteredRule) {
  // A page without a rule is a renamed or removed rule's leftover.
  int pages = 0;
  for (const auto& e : std::filesystem::directory_iterator(ARCHSCAN_SOURCE_DIR "/rules/docs")) {
    if (e.path().extension() != ".md") continue;
    ++pages;
    EXPECT_NE(RuleRegistry::instance().find(e.path().stem().string()), nullptr) << e.path();
  }
  EXPECT_EQ(pages, static_cast<int>(RuleRegistry::instance().rules().size()));
  EXPECT_TRUE(rule_doc("NOPE999").empty());
}

}  // namespace
}  // namespace archscan
