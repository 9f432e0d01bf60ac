// Finding and reading source files safely: every problem becomes a one-line diagnostic.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace archscan {

struct SourceCandidate {
  std::string abs_path;
  std::string rel_path;   // '/'-separated, relative to the scan root
  std::string problem;    // set when the path could not be visited (unreadable dir, symlink loop)
  bool skip = false;      // `problem` is a reason not to read it (a symlink out of the root), not an error
  bool confined = false;  // found by walking a directory: read only if it resolves inside the scan
};

// Walks `paths` (files or directories) below `root`: skips .git and other dot-directories,
// __pycache__, and paths matching `excludes` (globs matched against the relative path and the base
// name). Only files with a registered front-end or unsupported_model_source() are returned,
// unless named explicitly.
//
// Symbolic links are never followed out of the scan: a link to a directory is not entered, and a
// link to a file is read only when its target lies inside scan_boundaries(); otherwise it is
// returned with `skip` set. Files named on the command line are read wherever they point.
std::vector<SourceCandidate> discover(const std::string& root, const std::vector<std::string>& paths,
                                      const std::vector<std::string>& excludes);

// The directories (symlinks resolved) that a walked file must resolve into: the scan root and every
// directory named in `paths`.
std::vector<std::string> scan_boundaries(const std::string& root, const std::vector<std::string>& paths);

// Files that hold model code no front-end reads (CUDA, C, notebooks, Cython): discovered and
// reported as skipped so that a scan never looks clean for code it did not read.
bool unsupported_model_source(const std::string& path);

// The common directory of the scan paths (absolute).
std::string scan_root(const std::vector<std::string>& paths);

struct ReadResult {
  bool ok = false;
  bool skipped = false;  // not an error: too large, binary
  std::string text;
  std::string message;
  std::string content_hash;
};
// Reads a regular file of at most `max_bytes` (a larger one, or one that grows past the limit while
// it is read, is skipped). Never blocks on a FIFO or device, even one swapped in after discovery.
// With `confine_to` non-empty, a file whose opened target lies outside those directories (a symlink
// swapped in after discovery) is skipped without being read.
ReadResult read_source(const std::string& abs_path, uint64_t max_bytes,
                       const std::vector<std::string>& confine_to = {});

// Whether `path` is `dir` or below it (both absolute, normalised, symlinks resolved).
bool path_within(const std::string& path, const std::string& dir);

// Dotted Python module name: the path from the outermost package (directories with __init__.py).
std::string python_module_name(const std::string& abs_path, bool* is_package_init);
// The same rule over any tree: `has_init(dir + "/__init__.py")` tells which folders are packages.
std::string dotted_module_name(const std::string& path, const std::function<bool(const std::string&)>& has_init,
                               bool* is_package_init);

}  // namespace archscan
