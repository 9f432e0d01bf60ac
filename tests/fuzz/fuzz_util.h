// Shared by the libFuzzer targets: each input is written to a scratch file and scanned by the real
// pipeline (read, lower, link, analyses, rules, fingerprints, inline suppressions; no database).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/pipeline.h"

namespace archscan::fuzz {

inline std::filesystem::path scratch_file(const char* name) {
  static const std::filesystem::path dir = [] {
    const char* shm = "/dev/shm";
    std::filesystem::path base = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
    std::filesystem::path d = base / ("archscan-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir / name;
}

// Scans `data` as the file `name` (its extension picks the front-end).
inline void scan_bytes(const uint8_t* data, size_t size, const char* name) {
  std::filesystem::path p = scratch_file(name);
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  ScanOptions opts;
  opts.paths = {p.string()};
  opts.jobs = 1;
  opts.no_db = true;
  opts.no_cache = true;
  ScanOutput out = run_scan(opts);
  (void)out;
}

}  // namespace archscan::fuzz
