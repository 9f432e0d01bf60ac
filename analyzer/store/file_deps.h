// Which files a file's analysis may depend on, for the analysis cache.
//
// Every cross-file fact of the analysis goes through the linker (link/linker.cpp), which connects
// files only by resolving dotted names: import targets, call / global names and class bases, each
// looked up by its dotted prefixes among the files' module names (exactly, or as a dotted suffix for
// a name as written), then through the imports of the file found (re-exports, star imports), which
// replace a prefix of the name by an import target and keep the rest. NameIndex over-approximates
// that resolution from the names alone, so it can be evaluated for files that were not parsed in
// this scan; linked_files() adds what the linker actually connected.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/ir.h"
#include "store/analysis_cache.h"

namespace archscan::store {

// The names `file` of `program` (a lowered fragment or a linked program) refers to.
FileRefs file_refs(const ir::Program& program, int32_t file);

// Per file of a linked program: the other files whose functions, classes or attributes its IR
// points at.
std::vector<std::vector<int32_t>> linked_files(const ir::Program& program);

// The files a dotted name might resolve into.
class NameIndex {
 public:
  // `module_names[i]` is file i's module name ("" for none); `import_targets` every import target
  // of every file.
  NameIndex(const std::vector<std::string>& module_names, const std::unordered_set<std::string>& import_targets);

  // Appends the candidate files of `name`: a file whose module name is a dotted prefix of the name,
  // or ends with one (suffix lookup); or whose module name is an import target followed by a dotted
  // segment of the name (a re-export chain keeps the name's tail).
  void candidates(const std::string& name, std::vector<int32_t>& out) const;

 private:
  std::unordered_map<std::string, std::vector<int32_t>> by_suffix_;  // every dotted suffix of a module name
  std::unordered_map<std::string, std::vector<int32_t>> by_tail_;    // module name = import target + "." + tail
};

// Union-find over file indices.
class Components {
 public:
  explicit Components(size_t n) : parent_(n) {
    for (size_t i = 0; i < n; ++i) parent_[i] = i;
  }
  size_t find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(size_t a, size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<size_t> parent_;
};

}  // namespace archscan::store
