#include "frontend/frontend.h"

#include <algorithm>

namespace archscan::frontend {
namespace {
std::vector<Frontend>& registry() {
  static std::vector<Frontend> r;
  return r;
}
}  // namespace

void register_frontend(Frontend f) { registry().push_back(std::move(f)); }
const std::vector<Frontend>& frontends() { return registry(); }

const Frontend* frontend_for(const std::string& path) {
  auto dot = path.rfind('.');
  if (dot == std::string::npos) return nullptr;
  std::string ext = path.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& f : registry())
    if (std::find(f.extensions.begin(), f.extensions.end(), ext) != f.extensions.end()) return &f;
  return nullptr;
}

}  // namespace archscan::frontend
