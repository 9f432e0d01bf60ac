// Text output, like Ruff's: `path:line:col: RULE [severity] message`, the source line under it,
// and a summary naming what was not analysed.
#pragma once

#include <ostream>

#include "findings/scan_result.h"

namespace archscan::sinks {

struct TextOptions {
  bool color = false;       // ANSI colours (the CLI decides: --color, NO_COLOR, a terminal)
  bool explain = false;     // each finding's trace under it
  bool statistics = false;  // counts per rule instead of the findings (ruff --statistics)
  bool summary = true;      // false with --quiet
};

void write_text(const ScanResult& r, std::ostream& os, const TextOptions& o);

}  // namespace archscan::sinks
