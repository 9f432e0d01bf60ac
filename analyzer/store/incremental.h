// Which files a scan must analyse again, given the analysis cache.
//
// Files are grouped into dependency components: connected components of the graph whose edges are
// the dependencies each file had when it was last analysed (CachedFile::deps, both directions) and
// the files its names may resolve into now (NameIndex over the names of the file's current
// version). A component is analysed again, as a whole, when one of its files is new, changed, has
// another module name, could not be read, or was removed; the findings of every other component
// are reported from the cache.
//
// The names of a file are known without parsing it when it is unchanged (cached); a changed file
// must be lowered first. So planning is a fixed point: dirty() names files to lower, the caller
// lowers them and reports their names with lowered(), and calls dirty() again until it names no
// file it has not lowered yet.
#pragma once

#include <string>
#include <vector>

#include "store/analysis_cache.h"

namespace archscan::store {

struct CurrentFile {
  std::string path;
  std::string content_hash;  // empty when the file could not be read
  std::string module_name;   // as computed before lowering ("" when only lowering tells)
};

class IncrementalPlan {
 public:
  IncrementalPlan(std::vector<CurrentFile> files, const CacheSnapshot& cache);

  // Every current file (index) to analyse, as far as known now.
  std::vector<size_t> dirty() const;
  // What lowering file `i` found.
  void lowered(size_t i, FileRefs refs, const std::string& module_name);

  // The module name of every current file (for NameIndex), and the refs of file i.
  const std::vector<std::string>& module_names() const { return modules_; }
  const FileRefs* refs(size_t i) const;
  // Cached paths that are no longer scanned.
  std::vector<std::string> removed() const;

 private:
  bool cached_same(size_t i) const;  // unchanged since the cache entry (hash and module name)

  std::vector<CurrentFile> files_;
  const CacheSnapshot& cache_;
  std::vector<const CachedFile*> entry_;  // cache entry per current file, nullptr when none
  std::vector<std::string> modules_;
  std::vector<FileRefs> fresh_;
  std::vector<char> has_fresh_;
};

}  // namespace archscan::store
