// Where a scan spends its time and memory, phase by phase (`archscan scan --profile`): wall time,
// CPU time of the whole process (more than the wall time when a phase runs on several threads),
// the resident set at the end of the phase and the peak so far.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace archscan {

struct PhaseFigures {
  std::string name;
  double wall_seconds = 0;
  double cpu_seconds = 0;
  uint64_t rss_kb = 0;   // resident at the end of the phase
  uint64_t peak_kb = 0;  // the process's peak resident set so far
};

class ScanProfile {
 public:
  ScanProfile();
  // Closes the phase running since the previous mark (or since construction) under `name`.
  void mark(const char* name);
  const std::vector<PhaseFigures>& phases() const { return phases_; }
  // Seconds of tree-sitter parsing inside the lowering phase, summed over threads (front-ends add).
  std::atomic<int64_t> parse_ns{0};

 private:
  std::chrono::steady_clock::time_point wall_;
  double cpu_ = 0;
  std::vector<PhaseFigures> phases_;
};

// Resident set now and the peak so far, in KiB (0 where the system does not say).
uint64_t current_rss_kb();
uint64_t peak_rss_kb();

// The profile as a table: one line per phase and a total.
std::string format_profile(const ScanProfile& p);

}  // namespace archscan
