// `archscan diff`: the findings a change introduces. Both sides are read out of git (the HEAD side
// may be the index or the working tree), the changed files and every file connected to them by
// imports are analysed on each side, and a HEAD finding is new when its fingerprint is absent at
// BASE (BASE findings in renamed files are compared under their new path and module name).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/pipeline.h"
#include "vcs/git.h"

namespace archscan::diff {

// A problem with the request (an unknown revision, a shallow clone missing BASE, no repository):
// exit code 2, and the message says what to do.
struct DiffError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DiffRequest {
  std::string dir = ".";              // where the repository is
  std::string base;                   // "" = the merge base with the default branch (HEAD with `staged`)
  std::string head;                   // "" = the working tree
  bool staged = false;                // HEAD side = the index (a pre-commit hook)
  std::vector<std::string> excludes;  // globs, as `scan --exclude`
  ScanOptions scan;                   // rules, jobs, budgets, --all, --no-inline-suppressions, db
};

struct DiffOutcome {
  ScanResult result;  // the HEAD side's files; findings = the new ones only
  std::string base_label, head_label;
  std::vector<vcs::Change> changes;       // source files only
  size_t head_files = 0, base_files = 0;  // analysed on each side
  int dismissed = 0;                      // new findings hidden by a dismissal in the review database
};

DiffOutcome run_diff(const DiffRequest& req);

}  // namespace archscan::diff
