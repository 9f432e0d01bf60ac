// The analysis cache: per scan root, each file's content hash, what it refers to and depends on, and
// the findings its last analysis produced. The pipeline (core/pipeline.cpp) decides from it which
// files must be analysed again (store/incremental.h) and reports the cached findings of the others.
//
// Entries are only valid for the `key` they were written with (tool build, rule set, options); a
// scan with another key sees an empty cache and replaces it. Writers bump a generation counter: a
// scan writes only when no other scan of the same root wrote since it read, so concurrent scans
// cannot interleave their entries.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "findings/finding.h"
#include "store/sqlite.h"

namespace archscan::store {

// The names a file refers to, as the linker sees them (see store/file_deps.h).
struct FileRefs {
  std::vector<std::string> imports;  // import targets
  std::vector<std::string> names;    // call / global / base names
  bool operator==(const FileRefs&) const = default;
};

struct CachedFile {
  std::string path, content_hash, language, module_name, status, message, mode;
  FileRefs refs;
  std::vector<std::string> deps;  // paths of the files it was linked with (both directions)
};

struct CacheSnapshot {
  std::string key;                                    // empty when the root has no cache
  int64_t generation = -1;                            // -1: no row for the root
  std::unordered_map<std::string, CachedFile> files;  // by path
};

struct CacheUpdate {
  std::string key;
  int64_t read_generation = -1;      // CacheSnapshot::generation the scan started from
  bool replace_all = false;          // the key changed: drop every entry of the root first
  std::vector<CachedFile> files;     // analysed files (replaced with their findings)
  std::vector<Finding> findings;     // the findings of those files, in report order
  std::vector<std::string> removed;  // paths no longer scanned
};

class AnalysisCache {
 public:
  explicit AnalysisCache(Db& db) : db_(db) {}

  CacheSnapshot load(const std::string& root);
  // The cached findings of `paths`, each path's findings in their stored order.
  std::vector<Finding> findings(const std::string& root, const std::vector<std::string>& paths);
  // Applies the update in one transaction. False (nothing written) when another scan wrote since
  // `read_generation`.
  bool save(const std::string& root, const CacheUpdate& u);
  // Forgets the root's cache.
  void drop(const std::string& root);

 private:
  Db& db_;
};

}  // namespace archscan::store
