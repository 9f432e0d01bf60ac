#include "cli/scan_inputs.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "core/source_reader.h"
#include "store/store.h"

namespace archscan::cli {

namespace fs = std::filesystem;

bool check_paths(ScanOptions& o) {
  size_t missing = 0;
  for (const auto& p : o.paths) {
    std::error_code ec;
    if (fs::symlink_status(p, ec).type() == fs::file_type::not_found) ++missing;
  }
  if (missing == o.paths.size()) {
    for (const auto& p : o.paths) std::cerr << fmt::format("archscan: {}: no such file or directory\n", p);
    return false;
  }
  if (missing) o.no_db = true;  // the per-file diagnostics name the missing paths
  return true;
}

bool choose_database(ScanOptions& o) {
  if (o.no_db || !o.db_path.empty()) return true;
  const std::string root = scan_root(o.paths);
  const std::string path = store::Store::default_path(root);
  try {
    store::Store probe(path, true);
  } catch (const store::SqliteError& e) {
    const store::Trouble t = e.trouble();
    if (t != store::Trouble::ReadOnly && t != store::Trouble::CantOpen) {
      std::cerr << fmt::format("archscan: findings database {}: {}\n", path, e.what());
      return false;
    }
    std::cerr << fmt::format(
        "archscan: warning: cannot keep the findings database in {} ({} cannot be written): scanning without it "
        "(pass --db PATH to record the run elsewhere)\n",
        root, path);
    o.no_db = true;
  } catch (const std::exception& e) {
    std::cerr << fmt::format(
        "archscan: warning: cannot keep the findings database in {} ({}): scanning without it "
        "(pass --db PATH to record the run elsewhere)\n",
        root, e.what());
    o.no_db = true;
  }
  return true;
}

std::string copy_stdin(const std::string& stdin_filename) {
  std::string tmpl = (fs::temp_directory_path() / "archscan-stdin-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return {};
  fs::path file = fs::path(tmpl) / fs::path(stdin_filename).filename();
  // Through a string: inserting an empty rdbuf() would set failbit.
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    remove_stdin_copy(file.string());
    return {};
  }
  return file.string();
}

void remove_stdin_copy(const std::string& path) {
  std::error_code ec;
  if (!path.empty()) fs::remove_all(fs::path(path).parent_path(), ec);
}

}  // namespace archscan::cli
