// Content hashes: xxh3-64 as 16 hex digits (file contents, fingerprints, rule-set keys).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace archscan {

std::string hash_hex(const std::string& bytes);
// The same hash as a number.
uint64_t hash64(std::string_view bytes);

}  // namespace archscan
