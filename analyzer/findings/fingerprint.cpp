#include "findings/fingerprint.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "base/hash.h"

namespace archscan {

void assign_fingerprints(std::vector<Finding>& findings, const ir::Program& program) {
  std::map<std::string, const ir::SourceFile*> by_path;
  for (const auto& f : program.files) by_path[f.path] = &f;
  std::map<std::string, int> occurrences;
  for (auto& f : findings) {
    std::string text;
    if (auto it = by_path.find(f.path); it != by_path.end()) {
      for (int l = f.line; l <= std::max(f.line, f.end_line) && l < f.line + 8; ++l)
        for (char c : it->second->line_text(l))
          if (c != ' ' && c != '\t' && c != '\r') text += c;
    }
    std::string key = f.rule + '\x1f' + f.path + '\x1f' + f.scope + '\x1f' + text;
    int n = occurrences[key]++;
    f.fingerprint = hash_hex(key + '\x1f' + std::to_string(n));
  }
}

void attach_snippets(std::vector<Finding>& findings, const ir::Program& program) {
  std::map<std::string, const ir::SourceFile*> by_path;
  for (const auto& f : program.files) by_path[f.path] = &f;
  for (auto& f : findings) {
    auto it = by_path.find(f.path);
    if (it == by_path.end()) continue;
    f.snippet.clear();
    int last = std::min(std::max(f.line, f.end_line), f.line + 4);
    for (int l = f.line; l <= last; ++l) {
      if (l > f.line) f.snippet += '\n';
      f.snippet += it->second->line_text(l);
    }
  }
}

}  // namespace archscan
