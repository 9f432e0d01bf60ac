#include "base/profile.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

namespace archscan {
namespace {

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

}  // namespace

uint64_t current_rss_kb() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<uint64_t>(resident) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) / 1024;
}

uint64_t peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<uint64_t>(u.ru_maxrss);  // KiB on Linux
}

ScanProfile::ScanProfile() : wall_(std::chrono::steady_clock::now()), cpu_(process_cpu_seconds()) {}

void ScanProfile::mark(const char* name) {
  const auto now = std::chrono::steady_clock::now();
  const double cpu = process_cpu_seconds();
  phases_.push_back(
      {name, std::chrono::duration<double>(now - wall_).count(), cpu - cpu_, current_rss_kb(), peak_rss_kb()});
  wall_ = now;
  cpu_ = cpu;
}

std::string format_profile(const ScanProfile& p) {
  std::string out = fmt::format("{:<10} {:>9} {:>9} {:>9} {:>9}\n", "phase", "wall s", "cpu s", "rss MB", "peak MB");
  double wall = 0, cpu = 0;
  for (const PhaseFigures& f : p.phases()) {
    out += fmt::format("{:<10} {:>9.3f} {:>9.3f} {:>9.1f} {:>9.1f}\n", f.name, f.wall_seconds, f.cpu_seconds,
                       f.rss_kb / 1024.0, f.peak_kb / 1024.0);
    wall += f.wall_seconds;
    cpu += f.cpu_seconds;
  }
  out += fmt::format("{:<10} {:>9.3f} {:>9.3f} {:>9} {:>9.1f}\n", "total", wall, cpu, "", peak_rss_kb() / 1024.0);
  const double parse = p.parse_ns.load() / 1e9;
  if (parse > 0) out += fmt::format("(of which tree-sitter parsing, summed over threads: {:.3f} s cpu)\n", parse);
  return out;
}

}  // namespace archscan
