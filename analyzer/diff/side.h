// One side of a diff: the files of a commit, of the index or of the working tree, read on demand
// (blobs straight out of git objects, in batches; working-tree files from disk).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "diff/affected.h"
#include "vcs/git.h"

namespace archscan::diff {

// A file a front-end reads, outside the directories `scan` skips (dot-directories, __pycache__).
bool is_scanned_source(const std::string& path);

class Side : public SourceTree {
 public:
  // `rev`: a commit id, vcs::kEmptyTree, ":index", or "" for the working tree.
  Side(const vcs::Repo& repo, std::string rev, uint64_t max_file_bytes);

  const std::string& rev() const { return rev_; }
  bool has(const std::string& path) const override { return ids_.count(path) > 0; }
  // Every path on this side that a front-end reads.
  const std::vector<std::string>& source_paths() const override { return sources_; }
  const std::unordered_set<std::string>& all_paths() const { return all_; }
  // The dotted module name of a Python file on this side ("" for other files).
  std::string module_name(const std::string& path, bool* is_package_init = nullptr) const override;

  // Reads the texts of `paths` that are not read yet (one cat-file batch).
  void load(const std::vector<std::string>& paths) override;
  // The text of a loaded path; nullptr when it is not on this side or could not be read.
  const std::string* text(const std::string& path) const override;
  // Why a loaded path has no text (too large, binary, unreadable); "" when it has one.
  std::string problem(const std::string& path) const;

 private:
  const vcs::Repo& repo_;
  std::string rev_;
  uint64_t max_bytes_;
  std::map<std::string, std::string> ids_;  // path -> blob id ("" on the working tree)
  std::vector<std::string> sources_;
  std::unordered_set<std::string> all_;
  std::map<std::string, std::string> texts_;
  std::map<std::string, std::string> problems_;
};

}  // namespace archscan::diff
