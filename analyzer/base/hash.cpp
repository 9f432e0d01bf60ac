#include "base/hash.h"

#include <fmt/format.h>
#include <xxhash.h>

namespace archscan {

std::string hash_hex(const std::string& bytes) {
  return fmt::format("{:016x}", static_cast<unsigned long long>(hash64(bytes)));
}

uint64_t hash64(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

}  // namespace archscan
