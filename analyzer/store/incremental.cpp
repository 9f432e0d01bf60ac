#include "store/incremental.h"

#include <unordered_map>
#include <unordered_set>

#include "store/file_deps.h"

namespace archscan::store {

IncrementalPlan::IncrementalPlan(std::vector<CurrentFile> files, const CacheSnapshot& cache)
    : files_(std::move(files)), cache_(cache) {
  const size_t n = files_.size();
  entry_.assign(n, nullptr);
  modules_.resize(n);
  fresh_.resize(n);
  has_fresh_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    auto it = cache_.files.find(files_[i].path);
    if (it != cache_.files.end()) entry_[i] = &it->second;
    modules_[i] = files_[i].module_name;
    // C++ module names come from lowering: an unchanged file keeps the one it had.
    if (modules_[i].empty() && entry_[i] && entry_[i]->content_hash == files_[i].content_hash)
      modules_[i] = entry_[i]->module_name;
  }
}

bool IncrementalPlan::cached_same(size_t i) const {
  const CachedFile* e = entry_[i];
  const CurrentFile& f = files_[i];
  return e && !f.content_hash.empty() && e->content_hash == f.content_hash &&
         (f.module_name.empty() || f.module_name == e->module_name);
}

const FileRefs* IncrementalPlan::refs(size_t i) const {
  if (has_fresh_[i]) return &fresh_[i];
  return cached_same(i) ? &entry_[i]->refs : nullptr;
}

void IncrementalPlan::lowered(size_t i, FileRefs refs, const std::string& module_name) {
  fresh_[i] = std::move(refs);
  has_fresh_[i] = 1;
  if (!module_name.empty()) modules_[i] = module_name;
}

std::vector<std::string> IncrementalPlan::removed() const {
  std::unordered_set<std::string> current;
  for (const auto& f : files_) current.insert(f.path);
  std::vector<std::string> out;
  for (const auto& [path, _] : cache_.files)
    if (!current.count(path)) out.push_back(path);
  return out;
}

std::vector<size_t> IncrementalPlan::dirty() const {
  const size_t n = files_.size();
  std::unordered_map<std::string, size_t> node;
  for (size_t i = 0; i < n; ++i) node.emplace(files_[i].path, i);
  const std::vector<std::string> gone = removed();
  for (const auto& p : gone) node.emplace(p, node.size());
  Components c(node.size());

  // What each file depended on when it was last analysed (a removed or changed file included: the
  // files that used it must see it gone).
  for (const auto& [path, entry] : cache_.files)
    for (const auto& dep : entry.deps)
      if (auto it = node.find(dep); it != node.end()) c.join(node.at(path), it->second);

  // What the names of each file's current version may resolve into.
  std::unordered_set<std::string> targets;
  for (size_t i = 0; i < n; ++i)
    if (const FileRefs* r = refs(i)) targets.insert(r->imports.begin(), r->imports.end());
  NameIndex index(modules_, targets);
  std::vector<int32_t> hits;
  for (size_t i = 0; i < n; ++i) {
    const FileRefs* r = refs(i);
    if (!r) continue;
    hits.clear();
    for (const auto* list : {&r->imports, &r->names})
      for (const auto& name : *list) index.candidates(name, hits);
    for (int32_t j : hits) c.join(i, static_cast<size_t>(j));
  }

  std::unordered_set<size_t> dirty_roots;
  for (size_t i = 0; i < n; ++i)
    if (!cached_same(i)) dirty_roots.insert(c.find(i));
  for (size_t k = n; k < node.size(); ++k) dirty_roots.insert(c.find(k));
  std::vector<size_t> out;
  for (size_t i = 0; i < n; ++i)
    if (dirty_roots.count(c.find(i))) out.push_back(i);
  return out;
}

}  // namespace archscan::store
