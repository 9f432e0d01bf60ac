#include "cli/progress_line.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace archscan::cli {

ProgressLine::ProgressLine(const ScanProgress& p, bool enabled) : p_(p) {
  if (enabled) thread_ = std::thread([this] { run(); });
}

ProgressLine::~ProgressLine() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ProgressLine::run() {
  using namespace std::chrono_literals;
  std::unique_lock<std::mutex> lk(mu_);
  if (cv_.wait_for(lk, 1s, [this] { return stop_; })) return;
  bool shown = false;
  do {
    const std::string phase = p_.phase.load();
    std::string line = phase == "parsing"
                           ? fmt::format("archscan: parsing {}/{} files", p_.done.load(), p_.total.load())
                           : fmt::format("archscan: {} {} files", phase, p_.total.load());
    std::fprintf(stderr, "\r\x1b[K%s", line.c_str());
    std::fflush(stderr);
    shown = true;
  } while (!cv_.wait_for(lk, 200ms, [this] { return stop_; }));
  if (shown) std::fprintf(stderr, "\r\x1b[K");
}

}  // namespace archscan::cli
