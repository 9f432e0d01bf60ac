// The default C++ flags: the LibTorch include directories, shared with the Clang path
// (cpp_clang.cpp), and the defaults that flags after `--` add to.
#include "frontend/cpp/cpp_flags.h"

#include <cstdlib>
#include <filesystem>

namespace archscan::frontend::cpp {
namespace fs = std::filesystem;

std::vector<std::string> torch_include_dirs() {
  std::vector<std::string> out;
  auto add_prefix = [&](const fs::path& prefix) {
    std::error_code ec;
    fs::path api = prefix / "include" / "torch" / "csrc" / "api" / "include";
    if (fs::exists(api / "torch" / "torch.h", ec)) {
      out.push_back(api.string());
      out.push_back((prefix / "include").string());
    }
  };
  if (const char* p = std::getenv("TORCH_INSTALL_PREFIX"); p && *p) add_prefix(p);
  if (const char* d = std::getenv("Torch_DIR"); d && *d) add_prefix(fs::path(d) / ".." / ".." / "..");
  std::error_code ec;
  if (fs::exists("/usr/include/torch/csrc/api/include/torch/torch.h", ec))
    out.push_back("/usr/include/torch/csrc/api/include");
  return out;
}

Options with_default_flags(const Options& opts, const std::string& abs_path) {
  if (opts.extra_args.empty() || !opts.default_flags) return opts;
  Options o = opts;
  o.extra_args = {"-std=c++17"};
  for (const auto& d : torch_include_dirs()) o.extra_args.push_back("-I" + d);
  fs::path file(abs_path);
  o.extra_args.push_back("-I" + file.parent_path().string());
  int up = 0;
  for (fs::path dir = file.parent_path(); !dir.empty() && up < 4; dir = dir.parent_path(), ++up) {
    std::error_code ec;
    if (fs::is_directory(dir / "include", ec)) o.extra_args.push_back("-I" + (dir / "include").string());
    if (dir == dir.root_path()) break;
  }
  // The user's flags last: a later -std or -I wins.
  o.extra_args.insert(o.extra_args.end(), opts.extra_args.begin(), opts.extra_args.end());
  return o;
}

}  // namespace archscan::frontend::cpp
