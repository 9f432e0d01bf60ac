// Where `findings`, `review` and `report` look for the database a scan wrote: --db; else the
// configuration's `db`; else .archscan/archscan.db in --root (the scan root) or above it; else in
// the current directory or above it.
#pragma once

#include <string>

namespace archscan::cli {

// Throws std::runtime_error when there is none.
std::string locate_database(const std::string& db, const std::string& root);

}  // namespace archscan::cli
