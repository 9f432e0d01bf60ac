// Reading a git repository by running the `git` executable (never through a checkout): revisions,
// changed files, file lists of a commit, of the index and of the working tree, and blob contents.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace archscan::vcs {

struct GitError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CommandResult {
  int status = -1;  // exit status; -1 when it could not be run
  std::string out, err;
};

// Runs `git -C dir args...` with `input` on its standard input; never throws.
CommandResult run_git(const std::string& dir, const std::vector<std::string>& args, const std::string& input = {});

// The empty tree: BASE of a repository without commits.
inline constexpr const char* kEmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

// One changed path between two sides.
struct Change {
  char status = 'M';     // A added, M modified, D deleted, R renamed (C copies count as A)
  std::string old_path;  // at BASE ("" for A)
  std::string new_path;  // at HEAD ("" for D)
};

class Repo {
 public:
  // The repository holding `dir`; throws GitError when there is none (or no git).
  explicit Repo(const std::string& dir);
  const std::string& top() const { return top_; }

  // The commit (or tree, for kEmptyTree) a revision names; nullopt when the repository lacks it.
  std::optional<std::string> resolve(const std::string& rev) const;
  bool has_commits() const;
  bool shallow() const;
  // The branch pull requests merge into: origin/HEAD, else origin/main, origin/master, main, master.
  std::optional<std::string> default_branch() const;
  std::optional<std::string> merge_base(const std::string& a, const std::string& b) const;

  // What changed from commit `base` to commit `head`, to the index (`head` = ":index") or to the
  // working tree (`head` = ""; untracked files that are not ignored count as added). Renames are
  // detected (-M).
  std::vector<Change> changes(const std::string& base, const std::string& head) const;

  // Every file path of a side (commit, ":index", "" = working tree) with its blob id ("" for a
  // working-tree file, read from disk).
  std::map<std::string, std::string> files(const std::string& side) const;

  // The contents of blobs, in one `git cat-file --batch`.
  std::map<std::string, std::string> blobs(const std::vector<std::string>& ids) const;

 private:
  std::string git_ok(const std::vector<std::string>& args, const std::string& input = {}) const;
  std::string top_;
};

// Splits NUL-separated output.
std::vector<std::string> split_nul(const std::string& s);

}  // namespace archscan::vcs
