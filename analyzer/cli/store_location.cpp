#include "cli/store_location.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "cli/config.h"
#include "store/store.h"

namespace archscan::cli {

std::string locate_database(const std::string& db, const std::string& root) {
  if (!db.empty()) return store::Store::locate(db);
  const std::string start = root.empty() ? std::filesystem::current_path().string() : root;
  Config config = load_config(start);
  if (config.db) return store::Store::locate(*config.db);
  if (root.empty()) return store::Store::locate("");
  std::string found = store::Store::find_default(root);
  if (found.empty())
    throw std::runtime_error(fmt::format(
        "no .archscan/archscan.db in {} or above it: run `archscan scan {}` first or pass --db PATH", root, root));
  return found;
}

std::string database_failure(const std::string& path, const std::exception& e) {
  if (path.empty() || !dynamic_cast<const store::SqliteError*>(&e)) return e.what();
  return fmt::format("findings database {}: {}", path, e.what());
}

}  // namespace archscan::cli
