// Rule fixtures: every directory under tests/fixtures/rules/ is scanned (all rules, no review
// database) and every `# expect: ID` / `# ok: ID` / `# expect: none` label in its files is checked
// against the findings (core/labels.h). A directory without any `expect:` label fails: a fixture
// must show the rule firing, not only staying quiet.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/pipeline.h"
#include "findings/labels.h"

namespace archscan {
namespace {

namespace fs = std::filesystem;

fs::path fixtures_root() { return fs::path(ARCHSCAN_SOURCE_DIR) / "tests" / "fixtures" / "rules"; }

std::vector<std::string> fixture_dirs() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fixtures_root(), ec))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  if (out.empty()) out.push_back("<none>");  // keeps the suite instantiated; the test then fails
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class RuleFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleFixtures, LabelsHold) {
  const fs::path dir = fixtures_root() / GetParam();
  ASSERT_TRUE(fs::is_directory(dir)) << "no fixture directory " << dir;

  ScanOptions opts;
  opts.paths = {dir.string()};
  opts.no_db = true;
  ScanOutput out = run_scan(opts);
  const ScanResult& r = out.result;

  std::vector<std::string> paths;
  std::vector<Label> labels;
  for (const auto& f : r.files) {
    paths.push_back(f.path);
    auto l = parse_labels(f.path, read_file(fs::path(r.root) / f.path));
    labels.insert(labels.end(), l.begin(), l.end());
  }
  ASSERT_FALSE(paths.empty()) << "no source files scanned in " << dir;
  bool any_expect = std::any_of(labels.begin(), labels.end(), [](const Label& l) { return l.must_fire; });
  EXPECT_TRUE(any_expect) << dir << " has no `expect:` label: a fixture must show its rule firing";

  std::ostringstream all;
  for (const auto& f : r.findings)
    all << "    " << f.path << ":" << f.line << " " << f.rule << (f.taxonomy.empty() ? "" : "(" + f.taxonomy + ")")
        << " [" << to_string(f.severity) << "] " << f.message << "\n";

  size_t failed = 0;
  for (const auto& c : check_labels(labels, r.findings, paths)) {
    if (c.passed) continue;
    ++failed;
    ADD_FAILURE() << c.label.path << ":" << c.label.line << ": `" << (c.label.must_fire ? "expect" : "ok") << ": "
                  << c.label.what << "` failed: "
                  << (c.detail.empty() ? std::string(c.label.must_fire ? "not reported" : "reported") : c.detail);
  }
  if (failed) ADD_FAILURE() << failed << " label(s) failed in " << dir << "; findings:\n" << all.str();
}

INSTANTIATE_TEST_SUITE_P(Dirs, RuleFixtures, ::testing::ValuesIn(fixture_dirs()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n;
                           for (char c : i.param) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

}  // namespace
}  // namespace archscan
