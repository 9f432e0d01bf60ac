// The inline-suppression comment parser, for both comment markers.
#include <string_view>

#include "review/suppressions.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (std::string_view marker : {"#", "//"}) {
    auto found = archscan::review::parse_suppressions(text, marker);
    for (const auto& s : found) {
      // Lines and columns point into the text.
      if (s.line < 1 || s.column < 1) __builtin_trap();
      (void)s.valid();
    }
  }
  return 0;
}
