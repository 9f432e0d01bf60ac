// Inline suppressions: parsing, matching, SUP001 (malformed) and SUP002 (unused).
#include <gtest/gtest.h>

#include "review/suppressions.h"
#include "test_util.h"

namespace archscan::review {
namespace {
using namespace archscan::testing;

std::vector<const Finding*> of_rule(const ScanResult& r, const std::string& rule) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

TEST(SuppressionParse, Forms) {
  auto s = parse_suppressions(
      "a = 1  # archscan: ignore[BD001] the reason\n"           // 1
      "# archscan: ignore[BD001, CE001]: two rules\n"           // 2
      "b = 2\n"                                                 // 3
      "c = 3  #archscan:ignore[BD001]\n"                        // 4
      "d = 4  # archscan: ignore the reason\n"                  // 5
      "e = 5  # archscan: ignore[] why\n"                       // 6
      "f = 6  # archscan: ignored[BD001] not a suppression\n"   // 7
      "g = 7  # noqa # archscan: ignore[T3] — typed reason\n",  // 8
      "#");
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s[0].line, 1);
  EXPECT_FALSE(s[0].own_line);
  EXPECT_EQ(s[0].covers_next, 0);
  EXPECT_EQ(s[0].column, 8);
  EXPECT_EQ(s[0].rules, std::vector<std::string>{"BD001"});
  EXPECT_EQ(s[0].reason, "the reason");
  EXPECT_TRUE(s[0].valid());

  EXPECT_TRUE(s[1].own_line);
  EXPECT_EQ(s[1].covers_next, 3);
  EXPECT_EQ(s[1].rules, (std::vector<std::string>{"BD001", "CE001"}));
  EXPECT_EQ(s[1].reason, "two rules");

  EXPECT_EQ(s[2].line, 4);
  EXPECT_TRUE(s[2].reason.empty());
  EXPECT_FALSE(s[2].valid());

  EXPECT_EQ(s[3].line, 5);
  EXPECT_FALSE(s[3].bracketed);
  EXPECT_FALSE(s[3].valid());

  EXPECT_EQ(s[4].line, 6);
  EXPECT_TRUE(s[4].rules.empty());
  EXPECT_FALSE(s[4].valid());

  EXPECT_EQ(s[5].line, 8);
  EXPECT_EQ(s[5].rules, std::vector<std::string>{"T3"});
  EXPECT_EQ(s[5].reason, "typed reason");
}

TEST(SuppressionParse, StackedCommentsCoverTheCodeBelowThem) {
  auto s = parse_suppressions(
      "# archscan: ignore[BD001] one\n"
      "# archscan: ignore[CE001] two\n"
      "x = f()\n",
      "#");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].covers_next, 3);
  EXPECT_EQ(s[1].covers_next, 3);
}

TEST(SuppressionParse, CppUsesSlashes) {
  auto s = parse_suppressions("auto y = x;  // archscan: ignore[HW001] bench only\n# archscan: ignore[X] no\n", "//");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].rules, std::vector<std::string>{"HW001"});
  EXPECT_EQ(comment_marker("python"), "#");
  EXPECT_EQ(comment_marker("cpp"), "//");
  EXPECT_EQ(comment_marker("unknown"), "");
}

// std::regex recursed once per character: a long comment line overflowed the stack.
TEST(SuppressionParse, LongLinesDoNotOverflowTheStack) {
  std::string line = "x = 1  # archscan: ignore[CE001] " + std::string(1 << 20, 'a') + "\n";
  auto s = parse_suppressions(line, "#");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].reason.size(), 1u << 20);
  std::string cpp = "int x;  // archscan: ignore[" + std::string(1 << 20, 'B') + "] why\n";
  auto c = parse_suppressions(cpp, "//");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].rules.size(), 1u);
}

// CRLF files: `.` of std::regex did not match the `\r`, so no suppression was recognised.
TEST(SuppressionParse, CrlfLineEndings) {
  auto s = parse_suppressions("# archscan: ignore[CE001] reason\r\nexec(x)\r\n", "#");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].reason, "reason");
  EXPECT_EQ(s[0].covers_next, 2);
  EXPECT_TRUE(s[0].valid());
}

// The leftmost marker that starts a suppression wins; other markers before it are skipped.
TEST(SuppressionParse, FirstMatchingMarker) {
  auto s = parse_suppressions("s = '#'  # x # archscan: ignore[BD001] ok\n", "#");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].column, 14);
  EXPECT_FALSE(s[0].own_line);
  EXPECT_EQ(s[0].reason, "ok");
  EXPECT_TRUE(parse_suppressions("x  # archscan: ignore_all[BD001] no\n", "#").empty());
  EXPECT_TRUE(parse_suppressions("x  # archscan ignore[BD001] no\n", "#").empty());
}

const char* kModel =
    "class Net:\n"                                                          // 1
    "    def forward(self, x):\n"                                           // 2
    "        exec(A)  # archscan: ignore[CE001] prints a banner\n"          // 3
    "        # archscan: ignore[code-execution-in-model] generated stub\n"  // 4
    "        exec(B)\n"                                                     // 5
    "        # archscan: ignore[CE001]\n"                                   // 6
    "        exec(C)\n"                                                     // 7
    "        y = x  # archscan: ignore[BB004] stale\n"                      // 8
    "        z = x  # archscan: ignore\n"                                   // 9
    "        w = x  # archscan: ignore[NOPE001] typo\n"                     // 10
    "        exec(D)  # archscan: ignore[BB004] wrong rule\n"               // 11
    "        return y\n";                                                   // 12

TEST(InlineSuppressions, MarksFindingsAndReportsProblems) {
  auto p = make_program({{"m.py", "python", kModel}});
  auto r = make_result("/root", p,
                       {make_finding("CE001", "m.py", 3), make_finding("CE001", "m.py", 5),
                        make_finding("CE001", "m.py", 7), make_finding("CE001", "m.py", 11)});
  ScanOptions opts;
  apply_inline_suppressions(r, p, opts);

  auto ce = of_rule(r, "CE001");
  ASSERT_EQ(ce.size(), 4u);
  EXPECT_EQ(ce[0]->suppression, "inline");
  EXPECT_EQ(ce[0]->suppression_reason, "prints a banner");
  EXPECT_EQ(ce[1]->suppression, "inline");  // by rule name, from the line above
  EXPECT_EQ(ce[1]->suppression_reason, "generated stub");
  EXPECT_EQ(ce[2]->suppression, "");  // no reason: not suppressed
  EXPECT_EQ(ce[3]->suppression, "");  // another rule named

  auto malformed = of_rule(r, "SUP001");
  ASSERT_EQ(malformed.size(), 2u);
  EXPECT_EQ(malformed[0]->line, 6);
  EXPECT_EQ(malformed[0]->severity, Severity::Warning);
  EXPECT_NE(malformed[0]->message.find("no reason"), std::string::npos);
  EXPECT_EQ(malformed[1]->line, 9);
  EXPECT_NE(malformed[1]->message.find("names no rule"), std::string::npos);

  auto unused = of_rule(r, "SUP002");
  ASSERT_EQ(unused.size(), 3u);
  EXPECT_EQ(unused[0]->line, 8);
  EXPECT_EQ(unused[0]->severity, Severity::Note);
  EXPECT_EQ(unused[1]->line, 10);
  EXPECT_NE(unused[1]->message.find("NOPE001"), std::string::npos);
  EXPECT_EQ(unused[2]->line, 11);

  // New findings carry what the stores and sinks need, and the result stays sorted.
  for (const auto* f : malformed) {
    EXPECT_EQ(f->fingerprint.size(), 16u);
    EXPECT_EQ(f->path, "m.py");
    EXPECT_FALSE(f->snippet.empty());
  }
  EXPECT_NE(unused[0]->fingerprint, unused[1]->fingerprint);
  for (size_t i = 1; i < r.findings.size(); ++i) EXPECT_LE(r.findings[i - 1].line, r.findings[i].line);
}

TEST(InlineSuppressions, DisabledRulesAreNotUnusedAndSupRulesCanBeTurnedOff) {
  auto p = make_program({{"m.py", "python", "x = 1  # archscan: ignore[BB004] reason\ny = 2  # archscan: ignore\n"}});
  auto r = make_result("/root", p, {});
  ScanOptions opts;
  opts.ignore = {"BB004", "SUP001"};
  apply_inline_suppressions(r, p, opts);
  EXPECT_TRUE(r.findings.empty());
}

TEST(InlineSuppressions, TaxonomyTypesAndCpp) {
  auto p = make_program({{"m.cpp", "cpp", "auto a = x;\nauto y = gate(x);  // archscan: ignore[T3] test fixture\n"}});
  Finding f = make_finding("BD001", "m.cpp", 2);
  f.taxonomy = "T3";
  auto r = make_result("/root", p, {f});
  apply_inline_suppressions(r, p, ScanOptions{});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].suppression, "inline");
}

}  // namespace
}  // namespace archscan::review
