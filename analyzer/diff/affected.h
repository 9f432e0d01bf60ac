// Which files of one side a diff analyses: the changed files, every file that imports them
// (transitively: a backdoor is often split so that each file alone looks harmless, and the model
// that puts the pieces together may be unchanged), and everything those files import, so that
// each is analysed with the context a full scan would give it.
#pragma once

#include <string>
#include <vector>

#include "frontend/frontend.h"
#include "store/file_deps.h"

namespace archscan::diff {

// What affected_files reads of a tree of files: a side of a diff (out of git), or the LSP server's
// workspace (the disk with the editor's unsaved buffers over it).
class SourceTree {
 public:
  virtual ~SourceTree() = default;
  virtual bool has(const std::string& path) const = 0;
  // Every path that a front-end reads.
  virtual const std::vector<std::string>& source_paths() const = 0;
  // The dotted module name of a Python file ("" for other files).
  virtual std::string module_name(const std::string& path, bool* is_package_init = nullptr) const = 0;
  // Makes the texts of `paths` available to text().
  virtual void load(const std::vector<std::string>& paths) = 0;
  // nullptr when the path is not in the tree or could not be read.
  virtual const std::string* text(const std::string& path) const = 0;
  // The names a loaded Python file refers to, from its lowering (no linking). A tree that keeps its
  // files between calls caches these.
  virtual store::FileRefs refs(const std::string& path, const frontend::Options& opts);
};

struct AffectedRequest {
  std::vector<std::string> seeds;            // changed paths on this side
  std::vector<std::string> removed_modules;  // dotted names of Python modules the change deleted
  bool importers = true;                     // add the files that import the seeds
  // When set, receives the seeds and the files that import them (sorted), without what they import:
  // the files whose findings the change can alter.
  std::vector<std::string>* dependents = nullptr;
  int jobs = 0;
  frontend::Options frontend;
};

// Sorted paths. Python files are connected by name, as the linker connects them; C and C++ files
// by `#include` (a file including a changed header is analysed; what a translation unit includes
// is read by the compiler, not analysed on its own account).
std::vector<std::string> affected_files(SourceTree& side, const AffectedRequest& req);

}  // namespace archscan::diff
