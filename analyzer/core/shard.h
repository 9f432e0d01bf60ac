// `archscan scan --shard K/N`: one of N deterministic parts of a tree, for scans spread over
// several machines (a Slurm job array, a Kubernetes Indexed Job). The unit of partition is the
// repository: the first `depth` directory levels below the scan root (a hub mirror keeps one
// repository per directory, or per organisation/repository with depth 2). Files of one repository
// always land in the same shard, so imports inside a repository link as in a full scan; a unit's
// shard depends on its name alone, so adding repositories never moves the others.
#pragma once

#include <string>
#include <string_view>

namespace archscan {

struct Shard {
  int index = 0;  // 0 .. count-1
  int count = 0;  // 0 = not sharded
  int depth = 1;  // directory levels that make a unit
  bool active() const { return count > 0; }
  // Whether the file at `rel_path` ('/'-separated, relative to the scan root) belongs here.
  bool keeps(std::string_view rel_path) const;
  std::string text() const;  // "K/N"
};

// The unit a file belongs to: its first `depth` directory components ("" for files at the root).
std::string shard_unit(std::string_view rel_path, int depth);
// The shard of a unit among `count`.
int shard_of(std::string_view unit, int count);

// Parses "K/N" (0 <= K < N). False with `error` set.
bool parse_shard(std::string_view text, Shard& out, std::string& error);

}  // namespace archscan
