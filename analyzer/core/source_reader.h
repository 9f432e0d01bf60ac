// Finding and reading source files safely: every problem becomes a one-line diagnostic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace archscan {

struct SourceCandidate {
  std::string abs_path;
  std::string rel_path;  // '/'-separated, relative to the scan root
  std::string problem;   // set when the path could not be visited (unreadable dir, symlink loop)
};

// Walks `paths` (files or directories) below `root`: skips .git and other dot-directories,
// __pycache__, and paths matching `excludes` (globs matched against the relative path and the base
// name). Only files with a registered front-end or unsupported_model_source() are returned,
// unless named explicitly.
std::vector<SourceCandidate> discover(const std::string& root, const std::vector<std::string>& paths,
                                      const std::vector<std::string>& excludes);

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
ReadResult read_source(const std::string& abs_path, uint64_t max_bytes);

// Dotted Python module name: the path from the outermost package (directories with __init__.py).
std::string python_module_name(const std::string& abs_path, bool* is_package_init);

std::vector<uint32_t> line_starts(const std::string& text);

std::string hash_hex(const std::string& bytes);

}  // namespace archscan
