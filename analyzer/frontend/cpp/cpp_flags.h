// Compiler flags given after `--` add to the default ones (C++17, the LibTorch include paths, the
// file's directory and include/ directories above it) instead of replacing them: `-- -DNDEBUG`
// must not silently lose <torch/torch.h> and drop the file to syntax-only analysis.
#pragma once

#include <string>
#include <vector>

#include "frontend/frontend.h"

namespace archscan::frontend::cpp {

// LibTorch's include directories on this machine ($TORCH_INSTALL_PREFIX, $Torch_DIR, Debian's
// libtorch-dev), or none.
std::vector<std::string> torch_include_dirs();

// `opts` with the default flags for `abs_path` put before its extra_args (unchanged when none).
Options with_default_flags(const Options& opts, const std::string& abs_path);

}  // namespace archscan::frontend::cpp
