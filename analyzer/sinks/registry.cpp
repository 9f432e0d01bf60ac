#include "sinks/registry.h"

#include <map>

namespace archscan {
namespace {

std::map<std::string, SinkFn>& sinks() {
  static std::map<std::string, SinkFn> m;
  return m;
}

}  // namespace

void register_sink(const std::string& name, SinkFn fn) { sinks()[name] = std::move(fn); }

const SinkFn* find_sink(const std::string& name) {
  auto it = sinks().find(name);
  return it == sinks().end() ? nullptr : &it->second;
}

std::vector<std::string> sink_names() {
  std::vector<std::string> v;
  for (const auto& [k, _] : sinks()) v.push_back(k);
  return v;
}

}  // namespace archscan
