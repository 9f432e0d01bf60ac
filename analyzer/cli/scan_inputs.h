// What `scan` checks before it scans: the paths exist, and where the findings database goes.
#pragma once

#include <string>

#include "core/pipeline.h"

namespace archscan::cli {

// A mistyped path is an error, and the run it belongs to records nothing (its default database
// would be created beside the typo). Returns false when no path exists at all.
bool check_paths(ScanOptions& o);

// A read-only tree (a downloaded model repository) is scanned without the database, with one
// warning, instead of failing; an explicit --db that cannot be opened stays an error. A database
// that is there but damaged, or that cannot be used for a full disk or an I/O error, is an error
// too (printed; returns false): a scan must not go on as if there were no reviews.
bool choose_database(ScanOptions& o);

// `scan -`: reads standard input into a temporary file named like `stdin_filename`; returns its
// path (remove with remove_stdin_copy) or "" on failure.
std::string copy_stdin(const std::string& stdin_filename);
void remove_stdin_copy(const std::string& path);

}  // namespace archscan::cli
