// Debian's PyTorch and torchvision sources: every file is analysed (ok or partial), no crash.
// Skipped when python3-torch / python3-torchvision are not installed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit_util.h"

namespace archscan::unit {
namespace {

void scan_tree(const std::string& dir, size_t min_files) {
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " is not installed";
  CliRun r = archscan("scan " + shell_quote(dir) + " --no-db --format json", "", 900);
  ASSERT_TRUE(r.code == 0 || r.code == 1) << "exit " << r.code << "\n" << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["files"].size(), min_files);
  size_t partial = 0;
  for (const auto& f : j["files"]) {
    EXPECT_TRUE(f["status"] == "ok" || f["status"] == "partial") << f.dump();
    partial += f["status"] == "partial";
  }
  // Every partial file has its one stderr line, and nothing else is printed.
  EXPECT_EQ(r.err_lines().size(), partial) << r.err;
}

TEST(TorchTree, TorchEveryFileOkOrPartial) { scan_tree("/usr/lib/python3/dist-packages/torch", 1000); }
TEST(TorchTree, TorchvisionEveryFileOkOrPartial) { scan_tree("/usr/lib/python3/dist-packages/torchvision", 100); }

}  // namespace
}  // namespace archscan::unit
