// `scan --shard K/N` (core/shard.h): which repository a file belongs to, and which shard a
// repository lands in.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/shard.h"

namespace archscan {
namespace {

TEST(Shard, UnitIsTheFirstDirectoryLevels) {
  EXPECT_EQ(shard_unit("repo/pkg/model.py", 1), "repo");
  EXPECT_EQ(shard_unit("org/repo/pkg/model.py", 2), "org/repo");
  // A file above the depth belongs to the directory it is in; files at the root form one unit.
  EXPECT_EQ(shard_unit("org/README.py", 2), "org");
  EXPECT_EQ(shard_unit("setup.py", 1), "");
  EXPECT_EQ(shard_unit("setup.py", 3), "");
}

TEST(Shard, EveryFileOfARepositoryInOneShard) {
  Shard s;
  s.count = 5;
  for (int k = 0; k < 5; ++k) {
    s.index = k;
    EXPECT_EQ(s.keeps("repo/a.py"), s.keeps("repo/deep/er/b.py"));
  }
}

TEST(Shard, ShardsPartitionAndSpread) {
  std::set<int> used;
  for (int i = 0; i < 200; ++i) {
    const std::string file = "repo" + std::to_string(i) + "/m.py";
    int owners = 0;
    for (int k = 0; k < 4; ++k) {
      Shard s;
      s.index = k;
      s.count = 4;
      if (s.keeps(file)) {
        ++owners;
        used.insert(k);
      }
    }
    EXPECT_EQ(owners, 1) << file;
  }
  EXPECT_EQ(used.size(), 4u);
}

TEST(Shard, AssignmentDependsOnTheNameOnly) {
  // Pinned: machines and later versions must agree on where a repository goes.
  EXPECT_EQ(shard_of("torchvision", 4), shard_of(std::string("torchvision"), 4));
  const int k = shard_of("bert-base", 16);
  EXPECT_GE(k, 0);
  EXPECT_LT(k, 16);
  EXPECT_TRUE(Shard{}.keeps("anything.py"));  // not sharded: everything
}

TEST(Shard, ParsesKOverN) {
  Shard s;
  std::string error;
  ASSERT_TRUE(parse_shard("3/8", s, error)) << error;
  EXPECT_EQ(s.index, 3);
  EXPECT_EQ(s.count, 8);
  EXPECT_EQ(s.text(), "3/8");
  for (const char* bad : {"8/8", "-1/4", "4", "a/b", "0/0", "1/", "/2", "1/2/3", " 1/2"}) {
    error.clear();
    EXPECT_FALSE(parse_shard(bad, s, error)) << bad;
    EXPECT_NE(error.find("--shard"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace archscan
