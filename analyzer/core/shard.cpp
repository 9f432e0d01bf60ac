#include "core/shard.h"

#include "base/hash.h"

#include <fmt/format.h>

#include <charconv>

namespace archscan {

std::string shard_unit(std::string_view rel_path, int depth) {
  size_t end = 0;
  for (int level = 0; level < depth; ++level) {
    const size_t slash = rel_path.find('/', end == 0 ? 0 : end + 1);
    if (slash == std::string_view::npos) break;  // the rest is the file name, not a directory
    end = slash;
  }
  return std::string(rel_path.substr(0, end));
}

int shard_of(std::string_view unit, int count) {
  // xxh3 of the unit's name: stable across runs, machines and archscan versions that keep xxh3.
  return static_cast<int>(hash64(unit) % static_cast<uint64_t>(count));
}

bool Shard::keeps(std::string_view rel_path) const {
  return !active() || shard_of(shard_unit(rel_path, depth), count) == index;
}

std::string Shard::text() const { return fmt::format("{}/{}", index, count); }

bool parse_shard(std::string_view text, Shard& out, std::string& error) {
  const size_t slash = text.find('/');
  int k = -1, n = 0;
  auto number = [](std::string_view s, int& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
  };
  if (slash == std::string_view::npos || !number(text.substr(0, slash), k) || !number(text.substr(slash + 1), n) ||
      n < 1 || k < 0 || k >= n) {
    error = fmt::format("--shard {}: expected K/N with 0 <= K < N (e.g. 0/4 for the first of four shards)", text);
    return false;
  }
  out.index = k;
  out.count = n;
  return true;
}

}  // namespace archscan
