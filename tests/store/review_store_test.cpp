// The review-store post-processor: recording, dismissed findings, --all, --new-only, --no-db, and
// fingerprints that survive edits and moves.
#include <gtest/gtest.h>

#include "review/review_store.h"
#include "store/store.h"
#include "test_util.h"

namespace archscan::review {
namespace {
using namespace archscan::testing;

const char* kModel =
    "class Net:\n"
    "    def forward(self, x):\n"
    "        exec(A)\n"
    "        y = x\n"
    "        exec(B)\n"
    "        return y\n";

struct Fixture {
  TempDir dir;
  ScanOptions opts;
  ScanResult scan(const std::string& text, const std::vector<int>& lines) {
    program = make_program({{"m.py", "python", text}});
    std::vector<Finding> fs;
    for (int l : lines) {
      Finding f = make_finding("CE001", "m.py", l, Severity::Error);
      fs.push_back(f);
    }
    ScanResult r = make_result(dir.str(), program, fs);
    std::string error;
    ok = apply_review_store(r, program, opts, error);
    this->error = error;
    return r;
  }
  ir::Program program;
  bool ok = false;
  std::string error;
};

TEST(ReviewStore, RecordsIntoTheDefaultDatabaseUnderTheRoot) {
  Fixture fx;
  auto r = fx.scan(kModel, {3, 5});
  ASSERT_TRUE(fx.ok) << fx.error;
  EXPECT_EQ(r.findings.size(), 2u);
  store::Store st(store::Store::default_path(fx.dir.str()), false);
  EXPECT_EQ(st.runs().size(), 1u);
  EXPECT_EQ(st.findings({}).size(), 2u);
  EXPECT_FALSE(st.findings({})[0].snippet.empty());
}

TEST(ReviewStore, NoDbRecordsNothingAndRefusesNewOnly) {
  Fixture fx;
  fx.opts.no_db = true;
  auto r = fx.scan(kModel, {3});
  EXPECT_TRUE(fx.ok);
  EXPECT_EQ(r.findings.size(), 1u);
  EXPECT_FALSE(fs::exists(fx.dir / ".archscan"));
  fx.opts.new_only = true;
  fx.scan(kModel, {3});
  EXPECT_FALSE(fx.ok);
  EXPECT_NE(fx.error.find("--new-only"), std::string::npos);
}

TEST(ReviewStore, ExplicitDatabasePathAndUnusableDatabase) {
  Fixture fx;
  fx.opts.db_path = (fx.dir / "elsewhere" / "x.db").string();
  fx.scan(kModel, {3});
  EXPECT_TRUE(fx.ok) << fx.error;
  EXPECT_TRUE(fs::exists(fx.opts.db_path));
  write_file(fx.dir / "not-a-db", "this is not SQLite, just text that is long enough to have a header........");
  fx.opts.db_path = (fx.dir / "not-a-db").string();
  fx.scan(kModel, {3});
  EXPECT_FALSE(fx.ok);
  EXPECT_NE(fx.error.find("not-a-db"), std::string::npos) << fx.error;
}

TEST(ReviewStore, DismissedFindingsAreHiddenUnlessAll) {
  Fixture fx;
  auto first = fx.scan(kModel, {3, 5});
  {
    store::Store st(store::Store::default_path(fx.dir.str()));
    st.add_review(first.findings[0].fingerprint, store::ReviewState::FalsePositive, "banner only", "t");
  }
  auto hidden = fx.scan(kModel, {3, 5});
  ASSERT_EQ(hidden.findings.size(), 1u);
  EXPECT_EQ(hidden.findings[0].line, 5);

  fx.opts.all = true;
  auto all = fx.scan(kModel, {3, 5});
  ASSERT_EQ(all.findings.size(), 2u);
  EXPECT_EQ(all.findings[0].suppression, "review");
  EXPECT_EQ(all.findings[0].suppression_reason, "false_positive: banner only");
  EXPECT_EQ(all.findings[1].suppression, "");
}

TEST(ReviewStore, InlineSuppressionWinsOverReview) {
  Fixture fx;
  auto first = fx.scan(kModel, {3});
  {
    store::Store st(store::Store::default_path(fx.dir.str()));
    st.add_review(first.findings[0].fingerprint, store::ReviewState::WontFix, "legacy", "t");
  }
  auto p = make_program({{"m.py", "python", kModel}});
  ScanResult r = make_result(fx.dir.str(), p, {make_finding("CE001", "m.py", 3)});
  r.findings[0].suppression = "inline";
  r.findings[0].suppression_reason = "in source";
  std::string error;
  ScanOptions o;
  o.all = true;
  ASSERT_TRUE(apply_review_store(r, p, o, error));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].suppression, "inline");
}

TEST(ReviewStore, NewOnlyReportsOnlyFindingsAbsentFromThePreviousRun) {
  Fixture fx;
  fx.opts.new_only = true;
  auto first = fx.scan(kModel, {3});
  EXPECT_EQ(first.findings.size(), 1u);  // no previous run: everything is new
  auto same = fx.scan(kModel, {3});
  EXPECT_TRUE(same.findings.empty());
  auto more = fx.scan(kModel, {3, 5});
  ASSERT_EQ(more.findings.size(), 1u);
  EXPECT_EQ(more.findings[0].line, 5);
}

TEST(ReviewStore, FingerprintsSurviveEditsElsewhereAndMoves) {
  Fixture fx;
  auto before = fx.scan(kModel, {3});
  // Lines added above, the call moved down and re-indented differently: same finding.
  std::string edited =
      "import os\n"
      "# a comment\n"
      "class Net:\n"
      "    def helper(self):\n"
      "        return 1\n"
      "    def forward(self, x):\n"
      "        y = x\n"
      "        exec( A )\n"
      "        return y\n";
  fx.opts.new_only = true;
  auto after = fx.scan(edited, {8});
  EXPECT_TRUE(after.findings.empty()) << "the moved finding was reported as new";
  store::Store st(store::Store::default_path(fx.dir.str()), false);
  auto found = st.findings({});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].finding.fingerprint, before.findings[0].fingerprint);
  EXPECT_EQ(found[0].finding.line, 8);  // the stored location follows the code
  EXPECT_EQ(found[0].first_run, 1);
}

TEST(ReviewStore, ASecondIdenticalFindingIsNotAbsorbed) {
  Fixture fx;
  const char* one = "class Net:\n    def forward(self, x):\n        exec(A)\n        return x\n";
  const char* two = "class Net:\n    def forward(self, x):\n        exec(A)\n        exec(A)\n        return x\n";
  auto first = fx.scan(one, {3});
  {
    store::Store st(store::Store::default_path(fx.dir.str()));
    st.add_review(first.findings[0].fingerprint, store::ReviewState::FalsePositive, "reviewed once", "t");
  }
  auto second = fx.scan(two, {3, 4});
  // The dismissed one stays hidden; the duplicate is a new finding and is reported.
  ASSERT_EQ(second.findings.size(), 1u);
  EXPECT_NE(second.findings[0].fingerprint, first.findings[0].fingerprint);
}

}  // namespace
}  // namespace archscan::review
