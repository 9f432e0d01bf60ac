// Paths as people click them: findings carry root-relative paths; text and GitHub output show them
// relative to the current directory (as Ruff does), or absolute when outside it.
#pragma once

#include <string>

namespace archscan {

std::string display_path(const std::string& root, const std::string& rel);

}  // namespace archscan
