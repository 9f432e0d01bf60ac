// The findings store: schema and migrations, recording runs, automatic review transitions, the
// append-only review history, queries.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/store.h"
#include "test_util.h"

namespace archscan::store {
namespace {
using namespace archscan::testing;

const char* kModel =
    "import torch\n"                 // 1
    "class Net(torch.nn.Module):\n"  // 2
    "    def forward(self, x):\n"    // 3
    "        exec(PAYLOAD)\n"        // 4
    "        y = x * 2\n"            // 5
    "        eval(CODE)\n"           // 6
    "        return y\n";            // 7

RunMeta meta_for(const ir::Program& p, std::vector<std::string> rules = {"CE001", "BB004"}) {
  RunMeta m;
  m.tool_version = "test";
  m.ruleset_hash = "rs";
  m.rules = std::move(rules);
  m.source = [&p](const std::string& path) -> std::string_view {
    for (const auto& f : p.files)
      if (f.path == path) return f.text;
    return {};
  };
  return m;
}

int64_t count(Store& st, const std::string& sql) { return st.db().scalar_i64(sql).value_or(-1); }

TEST(StoreSchema, FreshDatabaseIsMigratedInWalMode) {
  TempDir dir;
  const std::string path = Store::default_path(dir.str());
  Store st(path);
  EXPECT_EQ(st.schema_version(), current_schema_version());
  EXPECT_GE(current_schema_version(), 1);
  EXPECT_EQ(st.db().scalar_text("PRAGMA journal_mode"), "wal");
  for (const char* table : {"runs", "files", "findings", "run_findings", "reviews"})
    EXPECT_EQ(count(st, fmt::format("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{}'", table)),
              1)
        << table;
  // The default location is kept out of version control.
  EXPECT_EQ(read_file(dir / ".archscan/.gitignore"), "*\n");
}

TEST(StoreSchema, ReopeningKeepsTheVersionAndData) {
  TempDir dir;
  const std::string path = (dir / "db.sqlite").string();
  {
    Store st(path);
    st.db().exec(
        "INSERT INTO runs (started_at, finished_at, tool_version, ruleset_hash, root) VALUES ('a','b','c','d','e')");
  }
  Store again(path);
  EXPECT_EQ(again.schema_version(), current_schema_version());
  EXPECT_EQ(count(again, "SELECT count(*) FROM runs"), 1);
}

TEST(StoreSchema, DatabaseFromANewerArchscanIsRefused) {
  TempDir dir;
  const std::string path = (dir / "db.sqlite").string();
  {
    Store st(path);
    st.db().exec("PRAGMA user_version = 999");
  }
  try {
    Store st(path);
    FAIL() << "opened a newer schema";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(StoreSchema, ReadingCommandsDoNotCreateADatabase) {
  TempDir dir;
  EXPECT_THROW(Store((dir / "missing.db").string(), false), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir / "missing.db"));
  EXPECT_THROW(Store::locate((dir / "missing.db").string()), std::runtime_error);
}

TEST(StoreSchema, FindDefaultWalksUp) {
  TempDir dir;
  { Store st(Store::default_path(dir.str())); }
  fs::create_directories(dir / "a/b/c");
  EXPECT_EQ(fs::path(Store::find_default((dir / "a/b/c").string())), dir / ".archscan/archscan.db");
}

TEST(Store, RecordsRunFilesAndFindings) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4, Severity::Error)});
  r.findings[0].trace = {{"model.py", 4, 9, "sink", "exec(...)"}};
  auto out = st.record_run(r, meta_for(p));
  EXPECT_EQ(out.run_id, 1);
  EXPECT_EQ(out.previous_run_id, 0);
  EXPECT_TRUE(out.previous_fingerprints.empty());
  EXPECT_EQ(out.state.at(r.findings[0].fingerprint).state, ReviewState::Open);

  auto run = st.latest_run();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->root, dir.str());
  EXPECT_EQ(run->finding_count, 1);
  EXPECT_EQ(run->rules, (std::vector<std::string>{"BB004", "CE001"}));
  EXPECT_EQ(run->arguments, r.arguments);
  auto files = st.files(run->id);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "model.py");
  EXPECT_EQ(files[0].content_hash, hash_hex(kModel));

  auto found = st.findings({});
  ASSERT_EQ(found.size(), 1u);
  const StoredFinding& sf = found[0];
  EXPECT_EQ(sf.finding.rule, "CE001");
  EXPECT_EQ(sf.finding.severity, Severity::Error);
  EXPECT_EQ(sf.finding.fingerprint, r.findings[0].fingerprint);
  EXPECT_EQ(sf.snippet_line, 2);
  EXPECT_NE(sf.snippet.find("exec(PAYLOAD)"), std::string::npos);
  ASSERT_EQ(sf.finding.trace.size(), 1u);
  EXPECT_EQ(sf.finding.trace[0].role, "sink");
  EXPECT_EQ(sf.trace_text[0], "exec(PAYLOAD)");
  EXPECT_EQ(sf.first_run, 1);
  EXPECT_EQ(sf.last_run, 1);
}

TEST(Store, RescanKeepsFirstRunAndAdvancesLastRun) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4)});
  st.record_run(r, meta_for(p));
  auto out = st.record_run(r, meta_for(p));
  EXPECT_EQ(out.previous_run_id, 1);
  EXPECT_EQ(out.previous_fingerprints.count(r.findings[0].fingerprint), 1u);
  auto found = st.findings({});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].first_run, 1);
  EXPECT_EQ(found[0].last_run, 2);
  EXPECT_EQ(count(st, "SELECT count(*) FROM run_findings"), 2);
}

TEST(Store, FixedWhenAFindingDisappearsAndReopenedWhenItReturns) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto both = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4), make_finding("CE001", "model.py", 6)});
  const std::string gone_fp = both.findings[1].fingerprint;
  st.record_run(both, meta_for(p));
  st.add_review(both.findings[0].fingerprint, ReviewState::Confirmed, "", "alice");

  auto one = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4)});
  auto out = st.record_run(one, meta_for(p));
  EXPECT_EQ(out.fixed, 1);
  EXPECT_EQ(st.current_review(gone_fp).state, ReviewState::Fixed);
  EXPECT_EQ(st.current_review(gone_fp).author, "archscan");
  EXPECT_EQ(st.current_review(gone_fp).run_id, out.run_id);
  EXPECT_EQ(st.current_review(both.findings[0].fingerprint).state, ReviewState::Confirmed);

  // Fixed findings are listed only when asked for.
  FindingQuery fixed_q;
  fixed_q.states = {ReviewState::Fixed};
  ASSERT_EQ(st.findings(fixed_q).size(), 1u);

  auto back = st.record_run(both, meta_for(p));
  EXPECT_EQ(back.reopened, 1);
  EXPECT_EQ(back.state.at(gone_fp).state, ReviewState::Open);
  auto h = st.history(gone_fp);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].state, ReviewState::Fixed);
  EXPECT_EQ(h[1].state, ReviewState::Open);
  EXPECT_NE(h[1].reason.find("reappeared"), std::string::npos);

  // A second scan without change moves nothing.
  auto again = st.record_run(both, meta_for(p));
  EXPECT_EQ(again.fixed + again.reopened, 0);
}

TEST(Store, NotFixedWhenTheFileWasNotAnalysedOrTheRuleDidNotRun) {
  TempDir dir;
  write_file(dir / "model.py", kModel);
  write_file(dir / "other.py", "x = 1\n");
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}, {"other.py", "python", "x = 1\n"}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4)});
  const std::string fp = r.findings[0].fingerprint;
  st.record_run(r, meta_for(p));

  // Only other.py scanned: model.py still exists, so its finding is not fixed.
  auto partial_p = make_program({{"other.py", "python", "x = 1\n"}});
  st.record_run(make_result(dir.str(), partial_p, {}), meta_for(partial_p));
  EXPECT_EQ(st.current_review(fp).state, ReviewState::Open);

  // model.py only partly parsed: not fixed either.
  auto partial = make_result(dir.str(), p, {});
  partial.files[0].status = "partial";
  st.record_run(partial, meta_for(p));
  EXPECT_EQ(st.current_review(fp).state, ReviewState::Open);

  // CE001 disabled (--ignore CE001): not fixed.
  st.record_run(make_result(dir.str(), p, {}), meta_for(p, {"BB004"}));
  EXPECT_EQ(st.current_review(fp).state, ReviewState::Open);

  // The file deleted: fixed.
  fs::remove(dir / "model.py");
  auto out = st.record_run(make_result(dir.str(), partial_p, {}), meta_for(partial_p));
  EXPECT_EQ(out.fixed, 1);
  EXPECT_EQ(st.current_review(fp).state, ReviewState::Fixed);
}

TEST(Store, DismissedFindingsStayDismissedWhenTheyDisappear) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4)});
  st.record_run(r, meta_for(p));
  st.add_review(r.findings[0].fingerprint, ReviewState::FalsePositive, "banner", "bob");
  st.record_run(make_result(dir.str(), p, {}), meta_for(p));
  EXPECT_EQ(st.current_review(r.findings[0].fingerprint).state, ReviewState::FalsePositive);
  auto out = st.record_run(r, meta_for(p));
  EXPECT_EQ(out.state.at(r.findings[0].fingerprint).state, ReviewState::FalsePositive);
  EXPECT_EQ(out.state.at(r.findings[0].fingerprint).reason, "banner");
  // The run records that it hid the finding.
  EXPECT_EQ(st.db().scalar_text("SELECT suppression FROM run_findings WHERE run_id = 3"), "review");
}

TEST(Store, SameCodeInTwoRootsSharesTheVerdict) {
  TempDir a, b;
  TempDir dbdir;
  Store st((dbdir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto ra = make_result(a.str(), p, {make_finding("CE001", "model.py", 4)});
  auto rb = make_result(b.str(), p, {make_finding("CE001", "model.py", 4)});
  ASSERT_EQ(ra.findings[0].fingerprint, rb.findings[0].fingerprint);
  st.record_run(ra, meta_for(p));
  st.record_run(rb, meta_for(p));
  EXPECT_EQ(count(st, "SELECT count(*) FROM findings"), 2);
  st.add_review(ra.findings[0].fingerprint, ReviewState::WontFix, "vendored", "carol");
  auto out = st.record_run(rb, meta_for(p));
  EXPECT_EQ(out.state.at(rb.findings[0].fingerprint).state, ReviewState::WontFix);
  // Gone from root a but still in root b's latest run: not fixed.
  st.add_review(ra.findings[0].fingerprint, ReviewState::Open, "", "carol");
  auto gone = st.record_run(make_result(a.str(), p, {}), meta_for(p));
  EXPECT_EQ(gone.fixed, 0);
  FindingQuery qa;
  qa.root = a.str();
  EXPECT_EQ(st.findings(qa).size(), 1u);
}

TEST(Reviews, ADismissalNeedsAReason) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4)});
  st.record_run(r, meta_for(p));
  const std::string fp = r.findings[0].fingerprint;
  EXPECT_THROW(st.add_review(fp, ReviewState::FalsePositive, "", "x"), std::invalid_argument);
  EXPECT_THROW(st.add_review(fp, ReviewState::WontFix, "  \t", "x"), std::invalid_argument);
  EXPECT_NO_THROW(st.add_review(fp, ReviewState::Confirmed, "", "x"));
  EXPECT_THROW(st.add_review("0000000000000000", ReviewState::Confirmed, "", "x"), std::invalid_argument);
  // The schema enforces it too.
  EXPECT_THROW(
      st.db().exec(fmt::format(
          "INSERT INTO reviews (fingerprint, state, author, at) VALUES ('{}', 'false_positive', 'x', 'now')", fp)),
      SqliteError);
  Review rv = st.add_review(fp, ReviewState::FalsePositive, "  only prints a banner ", "dana");
  EXPECT_EQ(rv.reason, "only prints a banner");
  EXPECT_EQ(st.current_review(fp).state, ReviewState::FalsePositive);
  EXPECT_EQ(st.history(fp).size(), 2u);
}

TEST(Reviews, HistoryIsAppendOnly) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4)});
  st.record_run(r, meta_for(p));
  st.add_review(r.findings[0].fingerprint, ReviewState::FalsePositive, "why", "eve");
  EXPECT_THROW(st.db().exec("DELETE FROM reviews"), SqliteError);
  EXPECT_THROW(st.db().exec("UPDATE reviews SET state = 'open'"), SqliteError);
  EXPECT_EQ(count(st, "SELECT count(*) FROM reviews"), 1);
}

TEST(Reviews, NoScanEverDeletesReviewHistory) {
  TempDir dir;
  write_file(dir / "model.py", kModel);
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto full = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4), make_finding("CE001", "model.py", 6)});
  auto empty = make_result(dir.str(), p, {});
  st.record_run(full, meta_for(p));
  st.add_review(full.findings[0].fingerprint, ReviewState::WontFix, "legacy", "frank");
  int64_t last = count(st, "SELECT count(*) FROM reviews");
  for (int i = 0; i < 6; ++i) {
    st.record_run(i % 2 ? full : empty, meta_for(p));
    int64_t now = count(st, "SELECT count(*) FROM reviews");
    EXPECT_GE(now, last);
    last = now;
  }
  EXPECT_EQ(st.history(full.findings[0].fingerprint).front().reason, "legacy");
}

TEST(Reviews, FingerprintPrefixes) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4), make_finding("CE001", "model.py", 6)});
  st.record_run(r, meta_for(p));
  const std::string fp = r.findings[0].fingerprint;
  EXPECT_EQ(st.resolve_fingerprint(fp), std::vector<std::string>{fp});
  EXPECT_EQ(st.resolve_fingerprint(fp.substr(0, 10)), std::vector<std::string>{fp});
  EXPECT_EQ(st.resolve_fingerprint("").size(), 0u);
  EXPECT_EQ(st.resolve_fingerprint("zz").size(), 0u);
}

TEST(Store, QueriesFilterByStateRuleAndRun) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  auto r = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4), make_finding("BB004", "model.py", 5)});
  st.record_run(r, meta_for(p));
  st.add_review(r.findings[1].fingerprint, ReviewState::Confirmed, "", "x");
  auto second = make_result(dir.str(), p, {make_finding("CE001", "model.py", 4)});
  st.record_run(second, meta_for(p, {"CE001"}));

  FindingQuery by_rule;
  by_rule.rules = {"BB004"};
  ASSERT_EQ(st.findings(by_rule).size(), 1u);
  FindingQuery by_state;
  by_state.states = {ReviewState::Confirmed};
  ASSERT_EQ(st.findings(by_state).size(), 1u);
  EXPECT_EQ(st.findings(by_state)[0].finding.rule, "BB004");
  FindingQuery by_run;
  by_run.run_id = 2;
  ASSERT_EQ(st.findings(by_run).size(), 1u);
  EXPECT_EQ(st.findings(by_run)[0].finding.rule, "CE001");
  by_run.run_id = 1;
  EXPECT_EQ(st.findings(by_run).size(), 2u);
  EXPECT_EQ(st.runs().size(), 2u);
  EXPECT_EQ(st.runs(dir.str()).size(), 2u);
  EXPECT_EQ(st.runs("/elsewhere").size(), 0u);
}

TEST(Store, RefusesFindingsWithoutFingerprint) {
  TempDir dir;
  Store st((dir / "db").string());
  auto p = make_program({{"model.py", "python", kModel}});
  ScanResult r;
  r.root = dir.str();
  r.findings = {make_finding("CE001", "model.py", 4)};
  EXPECT_THROW(st.record_run(r, meta_for(p)), std::runtime_error);
  // Nothing of the failed run was kept.
  EXPECT_EQ(count(st, "SELECT count(*) FROM runs"), 0);
}

}  // namespace
}  // namespace archscan::store
