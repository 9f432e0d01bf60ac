// Content hashes: xxh3-64 as 16 hex digits (file contents, fingerprints, rule-set keys).
#pragma once

#include <string>

namespace archscan {

std::string hash_hex(const std::string& bytes);

}  // namespace archscan
