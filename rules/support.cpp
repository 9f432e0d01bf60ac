#include "rules/support.h"

namespace archscan::rules {

std::string source_text(const ir::Program& p, const ir::Loc& loc, size_t max) {
  if (loc.file < 0) return {};
  const ir::SourceFile& f = p.file(loc.file);
  std::string_view line = f.line_text(loc.line);
  size_t a = loc.col > 0 ? static_cast<size_t>(loc.col - 1) : 0;
  if (a > line.size()) return {};
  size_t b = loc.end_line == loc.line && loc.end_col > loc.col ? static_cast<size_t>(loc.end_col - 1) : line.size();
  std::string s(line.substr(a, b - a));
  if (s.size() > max) {
    size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    s = s.substr(0, cut) + "...";
  }
  return s;
}

}  // namespace archscan::rules
