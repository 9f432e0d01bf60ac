// Where `findings`, `review` and `report` look for the database a scan wrote: --db; else the
// configuration's `db`; else .archscan/archscan.db in --root (the scan root) or above it; else in
// the current directory or above it.
#pragma once

#include <string>

namespace archscan::cli {

// Throws std::runtime_error when there is none.
std::string locate_database(const std::string& db, const std::string& root);

// The one-line message for a failure while using the database at `path` ("" when it was not
// located yet): SQLite troubles (store::SqliteError) are prefixed with the file they concern.
std::string database_failure(const std::string& path, const std::exception& e);

}  // namespace archscan::cli
