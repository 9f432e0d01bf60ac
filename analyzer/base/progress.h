// How far a scan is, for a progress line: the pipeline counts, the CLI reads from another thread.
#pragma once

#include <atomic>
#include <cstddef>

namespace archscan {

struct ScanProgress {
  std::atomic<const char*> phase{"reading"};  // a string literal: reading, parsing, analysing, recording
  std::atomic<size_t> total{0};               // files found
  std::atomic<size_t> done{0};                // files parsed
};

}  // namespace archscan
