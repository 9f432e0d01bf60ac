// A progress line on stderr while a scan runs, as Ruff and Semgrep show one: only on a terminal,
// only once the scan has taken a second (short scans stay quiet), erased when the scan ends.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/progress.h"

namespace archscan::cli {

class ProgressLine {
 public:
  ProgressLine(const ScanProgress& p, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void run();
  const ScanProgress& p_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace archscan::cli
