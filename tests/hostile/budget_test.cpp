// The per-file time budget (core/budget.h) and how the pipeline reports a file that went over it.
// A test rule stands in for an analysis loop that polls: it spins on files marked
// `# spin-for-budget` until the budget stops it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "base/budget.h"
#include "core/pipeline.h"
#include "findings/rule.h"
#include "ir/ir.h"
#include "store/test_util.h"

namespace archscan {
namespace {

namespace fs = std::filesystem;

// Spins on every file whose text holds `marker`, polling the budget. With `catch_it`, it handles
// the overrun itself (keeps going with the next file, records it); without, the OverBudget leaves
// run() and the pipeline catches it.
template <bool catch_it>
class SpinRule : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{catch_it ? "ZZ901" : "ZZ902", catch_it ? "spin-and-catch" : "spin-and-throw", "test",
                            Severity::Note, "spins until the per-file budget stops it (test only)"};
    return i;
  }
  void run(RuleContext& ctx) const override {
    const std::string marker = catch_it ? "# spin-for-budget: catch" : "# spin-for-budget: throw";
    for (const ir::SourceFile& f : ctx.program.files) {
      if (f.text.find(marker) == std::string::npos) continue;
      budget::FileScope scope(f.path, catch_it ? "analysing `Spin.forward`" : "analysing `Throw.forward`");
      if (catch_it) {
        try {
          for (;;) budget::poll();
        } catch (const budget::OverBudget& e) {
          budget::record_over_budget(e);
        }
      } else {
        for (;;) budget::poll();
      }
      Finding found;
      found.rule = info().id;
      found.severity = Severity::Note;
      found.path = f.path;
      found.line = 1;
      found.column = 1;
      found.end_line = 1;
      found.end_column = 2;
      found.message = "spun until the budget ran out";
      ctx.report(found);
    }
  }
};
using CatchingSpin = SpinRule<true>;
using ThrowingSpin = SpinRule<false>;
ARCHSCAN_REGISTER_RULE(CatchingSpin);
ARCHSCAN_REGISTER_RULE(ThrowingSpin);

using testing::TempDir;
using testing::write_file;

void burn(std::chrono::milliseconds cpu) {
  const auto until = budget::thread_cpu_time() + cpu;
  volatile unsigned x = 0;
  while (budget::thread_cpu_time() < until) x = x + 1;
}

const FileReport* report_of(const ScanResult& r, const std::string& path) {
  auto it = std::find_if(r.files.begin(), r.files.end(), [&](const FileReport& f) { return f.path == path; });
  return it == r.files.end() ? nullptr : &*it;
}

TEST(Budget, PollDoesNothingOutsideAScope) {
  for (int i = 0; i < 10000; ++i) budget::poll();
  EXPECT_FALSE(budget::expired());
  EXPECT_FALSE(budget::remaining().has_value());
  EXPECT_EQ(budget::current(), nullptr);
}

TEST(Budget, ScopeThrowsOnceItsCpuTimeIsUsed) {
  budget::FileScope scope("a.py", "parsing", 0.05);
  EXPECT_FALSE(scope.over());
  ASSERT_TRUE(budget::remaining().has_value());
  EXPECT_GT(budget::remaining()->count(), 0);
  burn(std::chrono::milliseconds(80));
  EXPECT_TRUE(scope.over());
  EXPECT_EQ(budget::remaining()->count(), 0);
  try {
    for (int i = 0; i < 1000; ++i) budget::poll();
    FAIL() << "poll() did not throw";
  } catch (const budget::OverBudget& e) {
    EXPECT_EQ(e.path(), "a.py");
    EXPECT_EQ(e.stage(), "parsing");
    EXPECT_NE(std::string(e.what()).find("over budget: parsing took more than 0.05 s"), std::string::npos) << e.what();
  }
}

TEST(Budget, SleepingIsNotCounted) {
  budget::FileScope scope("a.py", "parsing", 0.05);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // wall-clock time, no CPU
  EXPECT_FALSE(scope.over());
}

TEST(Budget, PausedWorkIsNotCounted) {
  budget::FileScope scope("a.py", "parsing", 0.05);
  {
    budget::Pause shared_work;  // the precompiled header every file waits for
    burn(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(scope.over());
  burn(std::chrono::milliseconds(80));
  EXPECT_TRUE(scope.over());
}

TEST(Budget, ScopesNestAndUnlimitedNeverExpires) {
  budget::FileScope outer("a.py", "parsing", 0);
  {
    budget::FileScope inner("a.py", "analysing `Net.forward`", 0.02);
    EXPECT_EQ(budget::current(), &inner);
    burn(std::chrono::milliseconds(40));
    EXPECT_TRUE(budget::expired());
  }
  EXPECT_EQ(budget::current(), &outer);
  EXPECT_FALSE(budget::expired());
  EXPECT_FALSE(budget::remaining().has_value());
}

TEST(Budget, OverrunsAreCollectedOnce) {
  budget::take_over_budget();
  budget::record_over_budget(budget::Overrun{"a.py", "analysing", 1});
  budget::record_over_budget(budget::OverBudget("b.py", "parsing", 2));
  auto v = budget::take_over_budget();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].path, "b.py");
  EXPECT_TRUE(budget::take_over_budget().empty());
}

// The pipeline: a model that goes over budget in the analysis makes its file partial, with a
// one-line "over budget" message; the rest of the scan is reported, and the file is not cached.
TEST(BudgetPipeline, ModelOverBudgetMakesItsFilePartialAndTheRestIsReported) {
  TempDir d;
  write_file(d / "tree" / "spin.py", "# spin-for-budget: catch\nx = 1\n");
  write_file(d / "tree" / "throw.py", "# spin-for-budget: throw\ny = 2\n");
  write_file(d / "tree" / "evil.py",
             "import torch.nn as nn\n\nclass Net(nn.Module):\n    def forward(self, x):\n        exec('1')\n"
             "        return x\n");
  ScanOptions o;
  o.paths = {(d / "tree").string()};
  o.db_path = (d / "db" / "archscan.db").string();
  o.file_timeout = 0.1;
  o.jobs = 2;
  for (int pass = 0; pass < 2; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    ScanOutput out = run_scan(o);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(secs, 30) << "the budget did not stop the spinning rules";
    const ScanResult& r = out.result;
    for (const char* spun : {"spin.py", "throw.py"}) {
      const FileReport* f = report_of(r, spun);
      ASSERT_NE(f, nullptr) << spun;
      EXPECT_EQ(f->status, "partial") << spun << ": " << f->message;
      EXPECT_NE(f->message.find("over budget: analysing `"), std::string::npos) << f->message;
      EXPECT_NE(f->message.find("took more than 0.1 s of CPU time (--file-timeout)"), std::string::npos) << f->message;
      EXPECT_EQ(f->message.find('\n'), std::string::npos);
    }
    const FileReport* evil = report_of(r, "evil.py");
    ASSERT_NE(evil, nullptr);
    EXPECT_EQ(evil->status, "ok");
    EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
      return f.rule == "CE001" && f.path == "evil.py";
    })) << "the rest of the scan is reported";
    // What the catching rule found before its budget ran out stands; the throwing rule's finding
    // was never reached.
    EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule == "ZZ901"; }));
    for (const auto& f : r.files) EXPECT_EQ(f.path.rfind("<rule", 0), std::string::npos) << "not an internal error";
    // Over-budget files are analysed again by the next scan, never served from the cache; the
    // others are.
    EXPECT_EQ(r.cached_files, pass == 0 ? 0 : 1);
  }
}

// A front-end that does not poll is caught after the fact: the file it took too long on is
// skipped, not analysed.
TEST(BudgetPipeline, SlowParsingIsSkippedAfterTheFact) {
  TempDir d;
  std::string deep = "X = " + std::string(300000, '(') + "1" + std::string(300000, ')') + "\n";
  write_file(d / "tree" / "slow.py", deep);
  write_file(d / "tree" / "ok.py", "import torch\n");
  ScanOptions o;
  o.paths = {(d / "tree").string()};
  o.no_db = true;
  o.file_timeout = 0.01;
  ScanOutput out = run_scan(o);
  const FileReport* slow = report_of(out.result, "slow.py");
  ASSERT_NE(slow, nullptr);
  EXPECT_EQ(slow->status, "skipped") << slow->message;
  EXPECT_EQ(slow->message, "over budget: parsing took more than 0.01 s of CPU time (--file-timeout)");
  const FileReport* ok = report_of(out.result, "ok.py");
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->status, "ok") << ok->message;

  o.file_timeout = 0;  // unlimited
  out = run_scan(o);
  slow = report_of(out.result, "slow.py");
  ASSERT_NE(slow, nullptr);
  EXPECT_NE(slow->status, "skipped") << slow->message;
}

}  // namespace
}  // namespace archscan
