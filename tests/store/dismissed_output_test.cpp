// Findings dismissed in review: hidden from the text and JSON reports, shown (marked with their
// review state) with --all.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/pipeline.h"
#include "sinks/registry.h"
#include "store/store.h"
#include "test_util.h"

namespace archscan {
namespace {
using namespace archscan::testing;

const char* kModel =
    "import torch.nn as nn\n"
    "\n"
    "PAYLOAD = \"print(1)\"\n"
    "\n"
    "\n"
    "class Net(nn.Module):\n"
    "    def forward(self, x):\n"
    "        exec(PAYLOAD)\n"
    "        eval(PAYLOAD)\n"
    "        return x\n";

std::string render(const char* format, const ScanResult& r) {
  std::ostringstream os;
  (*find_sink(format))(r, os);
  return os.str();
}

TEST(DismissedFindings, AreShownMarkedWithAllInTextAndJson) {
  TempDir dir;
  write_file(dir / "tree/net.py", kModel);
  ScanOptions o;
  o.paths = {(dir / "tree").string()};
  o.db_path = (dir / "archscan.db").string();
  ScanResult first = run_scan(o).result;
  ASSERT_EQ(first.findings.size(), 2u);
  const Finding& exec = first.findings[0];
  ASSERT_EQ(exec.line, 8);
  {
    store::Store st(o.db_path);
    st.add_review(exec.fingerprint, store::ReviewState::FalsePositive, "prints a banner", "t");
  }

  ScanResult hidden = run_scan(o).result;
  std::string text = render("text", hidden);
  EXPECT_EQ(text.find("net.py:8:"), std::string::npos) << text;
  EXPECT_NE(text.find("net.py:9:"), std::string::npos) << text;
  auto j = nlohmann::json::parse(render("json", hidden));
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["line"], 9);

  o.all = true;
  ScanResult all = run_scan(o).result;
  text = render("text", all);
  EXPECT_NE(text.find("net.py:8:9: CE001 [error]"), std::string::npos) << text;
  EXPECT_NE(text.find("[dismissed: false_positive: prints a banner]"), std::string::npos) << text;
  EXPECT_NE(text.find("Found 1 finding "), std::string::npos) << "a dismissed finding counted as open:\n" << text;
  j = nlohmann::json::parse(render("json", all));
  ASSERT_EQ(j["findings"].size(), 2u) << j.dump(1);
  EXPECT_EQ(j["findings"][0]["line"], 8);
  EXPECT_EQ(j["findings"][0]["suppression"]["kind"], "review");
  EXPECT_EQ(j["findings"][0]["review_state"], "false_positive");
  EXPECT_FALSE(j["findings"][1].contains("suppression"));
}

}  // namespace
}  // namespace archscan
