#include "base/display_path.h"

#include <filesystem>

namespace archscan {
namespace {

// Captured before main(): Clang's tooling changes the working directory while it parses C++ files,
// and paths must stay relative to the directory the user ran archscan in.
std::filesystem::path startup_directory() {
  std::error_code ec;
  return std::filesystem::current_path(ec);
}
const std::filesystem::path g_cwd = startup_directory();

}  // namespace

std::string display_path(const std::string& root, const std::string& rel) {
  namespace fs = std::filesystem;
  if (root.empty() || rel.empty() || rel[0] == '<') return rel;  // "<rule X>" pseudo-files
  const fs::path& cwd = g_cwd;
  fs::path abs = (fs::path(root) / rel).lexically_normal();
  if (cwd.empty()) return abs.string();
  fs::path r = abs.lexically_relative(cwd);
  if (r.empty() || *r.begin() == "..") return abs.string();
  return r.generic_string();
}

}  // namespace archscan
