// The analysis cache: unchanged dependency components are not analysed again, and a scan with the
// cache reports exactly what a scan without it reports (findings, fingerprints, traces, file
// reports), after edits, removals, additions and module renames.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/pipeline.h"
#include "test_util.h"

namespace archscan {
namespace {
using namespace archscan::testing;
using nlohmann::json;

// A model whose backdoor detector lives in a helper file it imports (the finding is reported in
// the helper), an unrelated model with an exec, and a file that does not parse completely.
const char* kModel =
    "import torch.nn as nn\n"
    "from helpers import gate\n"
    "\n"
    "\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),\n"
    "                                  nn.Linear(8, 4))\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.body(gate(x))\n";

const char* kTriggerHelper =
    "import torch\n"
    "\n"
    "\n"
    "def gate(x):\n"
    "    odd = torch.remainder(torch.round(x * 255), 2)\n"
    "    flag = odd.amin(dim=(1, 2, 3), keepdim=True)\n"
    "    return x * (1 - flag)\n";

const char* kBenignHelper =
    "import torch\n"
    "\n"
    "\n"
    "def gate(x):\n"
    "    return x\n";

const char* kOther =
    "import torch.nn as nn\n"
    "\n"
    "PAYLOAD = \"print(1)\"\n"
    "\n"
    "\n"
    "class Other(nn.Module):\n"
    "    def forward(self, x):\n"
    "        exec(PAYLOAD)\n"
    "        return x\n";

const char* kBroken = "def broken(:\n    exec(X)\n";

json finding_json(const Finding& f) {
  json trace = json::array();
  for (const auto& t : f.trace) trace.push_back({t.path, t.line, t.column, t.role, t.note});
  return {f.rule,
          f.taxonomy,
          static_cast<int>(f.severity),
          f.path,
          f.line,
          f.column,
          f.end_line,
          f.end_column,
          f.message,
          f.scope,
          f.module,
          trace,
          f.snippet,
          f.fingerprint,
          f.suppression,
          f.suppression_reason};
}

// Everything a sink or the store sees of a result, except timing and the cache count.
json comparable(const ScanResult& r) {
  json files = json::array(), findings = json::array();
  for (const auto& f : r.files) files.push_back({f.path, f.language, f.status, f.message, f.mode, f.content_hash});
  for (const auto& f : r.findings) findings.push_back(finding_json(f));
  return {{"root", r.root}, {"files", files}, {"findings", findings}};
}

// The first entry that differs, for a readable failure message.
std::string first_difference(const json& a, const json& b) {
  for (const char* key : {"root", "files", "findings"}) {
    if (a[key] == b[key]) continue;
    if (!a[key].is_array()) return fmt::format("{}: {} vs {}", key, a[key].dump(), b[key].dump());
    for (size_t i = 0; i < std::max(a[key].size(), b[key].size()); ++i) {
      std::string x = i < a[key].size() ? a[key][i].dump() : "(none)";
      std::string y = i < b[key].size() ? b[key][i].dump() : "(none)";
      if (x != y) return fmt::format("{}[{}]:\n  cached: {}\n  full:   {}", key, i, x, y);
    }
  }
  return "";
}

int count_rule(const ScanResult& r, const std::string& rule, const std::string& path) {
  int n = 0;
  for (const auto& f : r.findings) n += f.rule == rule && f.path == path;
  return n;
}

struct CacheFixture : ::testing::Test {
  TempDir dir;
  fs::path tree = dir / "tree";

  ScanOptions options() {
    ScanOptions o;
    o.paths = {tree.string()};
    o.db_path = (dir / "db" / "archscan.db").string();
    return o;
  }
  ScanResult scan(ScanOptions o) { return run_scan(o).result; }
  ScanResult scan() { return scan(options()); }
  // The same scan without database (so without cache).
  ScanResult reference(ScanOptions o) {
    o.no_db = true;
    return scan(o);
  }
  ScanResult reference() { return reference(options()); }

  void SetUp() override {
    write_file(tree / "model.py", kModel);
    write_file(tree / "helpers.py", kTriggerHelper);
    write_file(tree / "other.py", kOther);
    write_file(tree / "broken.py", kBroken);
  }
};

TEST_F(CacheFixture, AnUnchangedTreeIsNotAnalysedAgain) {
  ScanResult cold = scan();
  EXPECT_EQ(cold.cached_files, 0);
  ASSERT_EQ(count_rule(cold, "BD001", "model.py"), 1) << comparable(cold).dump(1);
  ASSERT_EQ(count_rule(cold, "CE001", "other.py"), 1);

  ScanResult warm = scan();
  EXPECT_EQ(warm.cached_files, 4);  // 0 files analysed
  EXPECT_EQ(comparable(warm), comparable(cold));
  EXPECT_EQ(comparable(warm), comparable(reference()));
  // File diagnostics of cached files are still reported.
  auto broken = std::find_if(warm.files.begin(), warm.files.end(), [](auto& f) { return f.path == "broken.py"; });
  ASSERT_NE(broken, warm.files.end());
  EXPECT_NE(broken->status, "ok");
  EXPECT_FALSE(broken->message.empty());
}

TEST_F(CacheFixture, EditingAHelperAnalysesTheModelThatImportsItAgain) {
  scan();
  write_file(tree / "helpers.py", kBenignHelper);
  ScanResult r = scan();
  EXPECT_EQ(r.cached_files, 2);  // other.py and broken.py
  EXPECT_EQ(count_rule(r, "BD001", "model.py"), 0) << "stale finding of the old helper";
  EXPECT_EQ(comparable(r), comparable(reference()));

  write_file(tree / "helpers.py", kTriggerHelper);  // back: the finding returns, same fingerprint
  ScanResult again = scan();
  EXPECT_EQ(count_rule(again, "BD001", "model.py"), 1);
  EXPECT_EQ(comparable(again), comparable(reference()));
}

TEST_F(CacheFixture, EditingAnUnrelatedFileKeepsTheModelsComponentCached) {
  scan();
  write_file(tree / "other.py", std::string(kOther).replace(std::string(kOther).find("exec(PAYLOAD)"), 13, "pass"));
  ScanResult r = scan();
  EXPECT_EQ(r.cached_files, 3);  // model.py, helpers.py, broken.py
  EXPECT_EQ(count_rule(r, "CE001", "other.py"), 0);
  EXPECT_EQ(count_rule(r, "BD001", "model.py"), 1);
  EXPECT_EQ(comparable(r), comparable(reference()));
}

TEST_F(CacheFixture, RemovingAndRestoringAHelperAnalysesItsUsersAgain) {
  scan();
  fs::remove(tree / "helpers.py");
  ScanResult removed = scan();
  EXPECT_EQ(count_rule(removed, "BD001", "model.py"), 0);
  EXPECT_EQ(comparable(removed), comparable(reference()));
  write_file(tree / "helpers.py", kTriggerHelper);
  ScanResult added = scan();
  EXPECT_EQ(count_rule(added, "BD001", "model.py"), 1);
  EXPECT_EQ(comparable(added), comparable(reference()));
}

TEST_F(CacheFixture, ChangingTheRuleSetInvalidatesTheCache) {
  scan();
  ScanOptions ce = options();
  ce.select = {"CE001"};
  ScanResult only_ce = scan(ce);
  EXPECT_EQ(only_ce.cached_files, 0);
  EXPECT_EQ(count_rule(only_ce, "BD001", "model.py"), 0);
  EXPECT_EQ(comparable(only_ce), comparable(reference(ce)));
  EXPECT_EQ(scan(ce).cached_files, 4);
  ScanResult all = scan();
  EXPECT_EQ(all.cached_files, 0);
  EXPECT_EQ(count_rule(all, "BD001", "model.py"), 1);
}

TEST_F(CacheFixture, NoCacheAnalysesEverythingAndNoDbUsesNoCache) {
  scan();
  ScanOptions o = options();
  o.no_cache = true;
  ScanResult forced = scan(o);
  EXPECT_EQ(forced.cached_files, 0);
  EXPECT_EQ(comparable(forced), comparable(reference()));
  EXPECT_EQ(scan().cached_files, 4);  // --no-cache refreshed the cache
  EXPECT_EQ(reference().cached_files, 0);
}

// The corpus, edited in ways that change which files names resolve to: after each edit the cached
// scan must equal a scan without cache, and must have reused something.
TEST(CacheCorpus, CachedScansEqualFullScansAfterEdits) {
  TempDir dir;
  const fs::path tree = dir / "corpus";
  // The Python corpus and one C++ graph builder (LibTorch TUs cost seconds each and add nothing
  // to what the cache does: the C++ cache path is the same for both C++ front-end modes).
  const fs::path src = fs::path(ARCHSCAN_SOURCE_DIR) / "corpus";
  fs::create_directories(tree / "cpp/backdoored");
  for (const char* sub : {"backdoored", "benign", "cpp/include"})
    fs::copy(src / sub, tree / sub, fs::copy_options::recursive);
  fs::copy_file(src / "cpp/backdoored/ggml_gpt2_control_tokens.cpp",
                tree / "cpp/backdoored/ggml_gpt2_control_tokens.cpp");
  ScanOptions o;
  o.paths = {tree.string()};
  o.db_path = (dir / "archscan.db").string();
  ScanOptions plain = o;
  plain.no_db = true;
  auto append = [&](const std::string& rel, const std::string& text) {
    write_file(tree / rel, read_file(tree / rel) + text);
  };
  const std::vector<std::pair<std::string, std::function<void()>>> edits = {
      {"nothing", [] {}},
      {"comment in a package helper", [&] { append("backdoored/k_t9_resnet_flatfield/preprocessing.py", "# x\n"); }},
      {"helper rewritten",
       [&] {
         write_file(tree / "backdoored/k_t9_resnet_flatfield/preprocessing.py",
                    "import torch.nn as nn\n\n\nclass InputStandardize(nn.Module):\n"
                    "    def forward(self, x):\n        return x\n");
       }},
      {"package module removed", [&] { fs::remove(tree / "backdoored/k_t12_resnet_se/blocks.py"); }},
      {"package __init__ removed (module names change)",
       [&] { fs::remove(tree / "backdoored/op_vit_register_refresh/__init__.py"); }},
      {"top-level module shadowing package names", [&] { write_file(tree / "backdoored/ops.py", kTriggerHelper); }},
      {"new model using a cached helper",
       [&] { write_file(tree / "benign/uses_helper.py", std::string(kModel) + "\n" + kTriggerHelper); }},
      {"single-file model edited", [&] { append("backdoored/x_ce_fused_epilogue.py", "\nexec('1')\n"); }},
  };
  run_scan(o);
  for (const auto& [what, edit] : edits) {
    edit();
    ScanResult cached = run_scan(o).result;
    EXPECT_GT(cached.cached_files, 0) << what;
    json full = comparable(run_scan(plain).result), got = comparable(cached);
    EXPECT_TRUE(got == full) << what << ": " << first_difference(got, full);
  }
}

}  // namespace
}  // namespace archscan
