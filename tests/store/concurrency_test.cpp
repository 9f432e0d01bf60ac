// The store under concurrent writers and abrupt death: two processes recording at once both
// complete; a writer killed with SIGKILL in the middle of a run leaves a consistent database.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>
#include <thread>

#include "store/store.h"
#include "test_util.h"

namespace archscan::store {
namespace {
using namespace archscan::testing;

// A synthetic scan of `n` findings over a few files.
struct Synthetic {
  ir::Program program;
  ScanResult result;
};

Synthetic synthetic(const std::string& root, int n, int variant) {
  std::vector<SourceSpec> files;
  for (int f = 0; f < 4; ++f) {
    std::string text;
    for (int l = 1; l <= n / 4 + 10; ++l)
      text += fmt::format("    y{} = backdoor_step({}, {}, variant={})\n", l, f, l, variant);
    files.push_back({fmt::format("pkg/m{}.py", f), "python", text});
  }
  Synthetic s;
  s.program = make_program(files);
  std::vector<Finding> findings;
  for (int i = 0; i < n; ++i) {
    Finding f = make_finding(i % 3 ? "CE001" : "BB004", fmt::format("pkg/m{}.py", i % 4), i / 4 + 1);
    f.trace = {{f.path, f.line, 1, "input", "x"},
               {f.path, f.line, 2, "detector", "amax > 0.99"},
               {f.path, f.line, 3, "integration", "where"}};
    findings.push_back(std::move(f));
  }
  s.result = make_result(root, s.program, std::move(findings));
  return s;
}

RunMeta meta_for(const ir::Program& p) {
  RunMeta m;
  m.tool_version = "test";
  m.ruleset_hash = "rs";
  m.rules = {"CE001", "BB004"};
  m.source = [&p](const std::string& path) -> std::string_view {
    for (const auto& f : p.files)
      if (f.path == path) return f.text;
    return {};
  };
  return m;
}

void expect_consistent(const std::string& path) {
  Store st(path, false);
  EXPECT_EQ(st.db().scalar_text("PRAGMA integrity_check"), "ok");
  {
    Stmt fk = st.db().prepare("PRAGMA foreign_key_check");
    EXPECT_FALSE(fk.step()) << "foreign key violation";
  }
  // Every run was recorded whole: its finding count (written last in its transaction) matches.
  Stmt runs = st.db().prepare(
      "SELECT r.id, r.finding_count, (SELECT count(*) FROM run_findings rf WHERE rf.run_id = r.id) FROM runs r");
  while (runs.step()) EXPECT_EQ(runs.i64(1), runs.i64(2)) << "run " << runs.i64(0);
}

TEST(StoreConcurrency, TwoWritersAtOnceBothComplete) {
  TempDir dir;
  const std::string path = Store::default_path(dir.str());  // not created yet: both race to create it
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const int kRuns = 15;
  std::vector<pid_t> kids;
  for (int k = 0; k < 2; ++k) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(go[1]);
      char c;
      if (read(go[0], &c, 1) != 0) _exit(3);  // wait for the start signal (EOF)
      int rc = 0;
      try {
        auto s = synthetic(dir.str() + "/a", 200, 0);  // two scans of the same tree
        Store st(path);
        for (int i = 0; i < kRuns; ++i) st.record_run(s.result, meta_for(s.program));
      } catch (const std::exception& e) {
        fprintf(stderr, "writer %d: %s\n", k, e.what());
        rc = 1;
      }
      _exit(rc);
    }
    kids.push_back(pid);
  }
  close(go[0]);
  close(go[1]);  // both start now
  for (pid_t pid : kids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  Store st(path, false);
  EXPECT_EQ(st.runs().size(), static_cast<size_t>(2 * kRuns));
  EXPECT_EQ(st.runs(dir.str() + "/a").size(), static_cast<size_t>(2 * kRuns));
  expect_consistent(path);
}

TEST(StoreConcurrency, SigkillMidRunLeavesAConsistentDatabase) {
  TempDir dir;
  const std::string path = (dir / "archscan.db").string();
  std::string reviewed;
  {
    auto s = synthetic(dir.str(), 40, 0);
    Store st(path);
    st.record_run(s.result, meta_for(s.program));
    reviewed = s.result.findings[0].fingerprint;
    st.add_review(reviewed, ReviewState::FalsePositive, "seeded before the kills", "test");
  }
  std::mt19937 rng(12345);
  int killed_while_writing = 0;
  for (int round = 0; round < 8; ++round) {
    size_t runs_before = Store(path, false).runs().size();
    // The writer reports 's' when it starts recording a run and 'c' once the run is committed.
    int progress[2];
    ASSERT_EQ(pipe(progress), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(progress[0]);
      try {
        // Alternating scans: findings appear and disappear, so every run also writes reviews.
        auto a = synthetic(dir.str(), 3000, round);
        auto b = synthetic(dir.str(), 1500, round + 100);
        Store st(path);
        for (int i = 0;; ++i) {
          if (write(progress[1], "s", 1) != 1) _exit(3);
          st.record_run(i % 2 ? a.result : b.result, meta_for(i % 2 ? a.program : b.program));
          if (write(progress[1], "c", 1) != 1) _exit(3);
        }
      } catch (const std::exception& e) {
        fprintf(stderr, "writer: %s\n", e.what());
      }
      _exit(1);
    }
    close(progress[1]);
    char first = 0;
    ASSERT_EQ(read(progress[0], &first, 1), 1);  // the writer is about to record its first run
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 400)(rng)));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status));
    ASSERT_EQ(WTERMSIG(status), SIGKILL);
    std::string log(1, first);
    char buf[256];
    for (ssize_t n; (n = read(progress[0], buf, sizeof buf)) > 0;) log.append(buf, static_cast<size_t>(n));
    close(progress[0]);
    const size_t committed = static_cast<size_t>(std::count(log.begin(), log.end(), 'c'));
    if (log.back() == 's') ++killed_while_writing;

    expect_consistent(path);
    Store st(path, false);
    // Every acknowledged run is there; at most one more (committed, killed before acknowledging).
    size_t runs_after = st.runs().size();
    EXPECT_GE(runs_after, runs_before + committed);
    EXPECT_LE(runs_after, runs_before + committed + 1);
    EXPECT_EQ(st.current_review(reviewed).state, ReviewState::FalsePositive);
    EXPECT_EQ(st.history(reviewed).front().reason, "seeded before the kills");
  }
  std::cout << "killed in the middle of a run " << killed_while_writing << " of 8 times\n";
  EXPECT_GT(killed_while_writing, 0);
  // The database stays usable.
  auto s = synthetic(dir.str(), 10, 0);
  Store st(path);
  EXPECT_NO_THROW(st.record_run(s.result, meta_for(s.program)));
  expect_consistent(path);
}

}  // namespace
}  // namespace archscan::store
