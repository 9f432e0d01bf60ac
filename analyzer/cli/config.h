// Project configuration: `archscan.toml` (top-level keys) or `pyproject.toml` `[tool.archscan]`,
// the nearest one found walking up from the first scanned path, as Ruff finds its settings.
// Command-line options win over it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace archscan::cli {

struct Config {
  std::string path;  // the file it came from; empty when none was found
  std::optional<std::vector<std::string>> select, ignore, exclude, cpp_flags;
  std::optional<std::string> fail_on, db, compile_commands;  // db, compile-commands: absolute
  std::optional<bool> fail_on_skipped;
};

// Throws std::runtime_error naming the file on malformed TOML, unknown keys or wrong types.
Config load_config(const std::string& start);

}  // namespace archscan::cli
