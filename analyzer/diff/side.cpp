#include "diff/side.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/pipeline.h"
#include "core/source_reader.h"
#include "frontend/frontend.h"

namespace archscan::diff {

bool is_scanned_source(const std::string& path) {
  if (path.empty() || !frontend::frontend_for(path)) return false;
  // What `scan` does not walk into either (core/source_reader): dot-directories and __pycache__.
  for (const auto& part : std::filesystem::path(path))
    if (part.string().starts_with('.') || part == "__pycache__") return false;
  return true;
}

Side::Side(const vcs::Repo& repo, std::string rev, uint64_t max_file_bytes)
    : repo_(repo), rev_(std::move(rev)), max_bytes_(max_file_bytes), ids_(repo.files(rev_)) {
  for (const auto& [path, id] : ids_) {
    all_.insert(path);
    if (is_scanned_source(path)) sources_.push_back(path);
  }
}

std::string Side::module_name(const std::string& path, bool* is_package_init) const {
  if (is_package_init) *is_package_init = false;
  if (std::filesystem::path(path).extension() != ".py") return {};
  return module_name_among(path, all_, is_package_init);
}

void Side::load(const std::vector<std::string>& paths) {
  std::vector<std::string> blob_ids;
  std::multimap<std::string, std::string> wanted;  // blob id -> path (two paths can share a blob)
  for (const auto& p : paths) {
    auto it = ids_.find(p);
    if (it == ids_.end() || texts_.count(p)) continue;
    if (rev_.empty()) {
      // Never follows a symlink out of the repository, never blocks on a FIFO (core/source_reader).
      ReadResult r = read_source((std::filesystem::path(repo_.top()) / p).string(), max_bytes_, {repo_.top()});
      if (r.ok)
        texts_[p] = std::move(r.text);
      else
        problems_[p] = r.message;
      continue;
    }
    if (!wanted.count(it->second)) blob_ids.push_back(it->second);
    wanted.emplace(it->second, p);
  }
  std::map<std::string, std::string> found = repo_.blobs(blob_ids);
  for (const auto& [id, path] : wanted) {
    auto it = found.find(id);
    // As core/source_reader: larger than the limit, or binary, is not read (nor parsed to find imports).
    if (it == found.end())
      problems_[path] = "missing from the repository's objects";
    else if (it->second.size() > max_bytes_)
      problems_[path] = fmt::format("{:.1f} MB is larger than the {:.1f} MB limit (--max-file-size)",
                                    it->second.size() / 1048576.0, max_bytes_ / 1048576.0);
    else if (it->second.find('\0') != std::string::npos)
      problems_[path] = "binary file (contains NUL bytes)";
    else
      texts_[path] = it->second;
  }
}

std::string Side::problem(const std::string& path) const {
  auto it = problems_.find(path);
  return it == problems_.end() ? std::string() : it->second;
}

const std::string* Side::text(const std::string& path) const {
  auto it = texts_.find(path);
  return it == texts_.end() ? nullptr : &it->second;
}

}  // namespace archscan::diff
