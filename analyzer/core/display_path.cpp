#include "core/display_path.h"

#include <filesystem>

namespace archscan {

std::string display_path(const std::string& root, const std::string& rel) {
  namespace fs = std::filesystem;
  if (root.empty() || rel.empty() || rel[0] == '<') return rel;  // "<rule X>" pseudo-files
  std::error_code ec;
  static const fs::path cwd = fs::current_path(ec);
  fs::path abs = (fs::path(root) / rel).lexically_normal();
  if (cwd.empty()) return abs.string();
  fs::path r = abs.lexically_relative(cwd);
  if (r.empty() || *r.begin() == "..") return abs.string();
  return r.generic_string();
}

}  // namespace archscan
