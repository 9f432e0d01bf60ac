// Which files of one side a diff analyses: the changed files, every file that imports them
// (transitively: a backdoor is often split so that each file alone looks harmless, and the model
// that puts the pieces together may be unchanged), and everything those files import, so that
// each is analysed with the context a full scan would give it.
#pragma once

#include <string>
#include <vector>

#include "diff/side.h"
#include "frontend/frontend.h"

namespace archscan::diff {

struct AffectedRequest {
  std::vector<std::string> seeds;            // changed paths on this side
  std::vector<std::string> removed_modules;  // dotted names of Python modules the change deleted
  bool importers = true;                     // add the files that import the seeds
  int jobs = 0;
  frontend::Options frontend;
};

// Sorted paths. Python files are connected by name, as the linker connects them; C and C++ files
// by `#include` (a file including a changed header is analysed; what a translation unit includes
// is read by the compiler, not analysed on its own account).
std::vector<std::string> affected_files(Side& side, const AffectedRequest& req);

}  // namespace archscan::diff
