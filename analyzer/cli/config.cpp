#include "cli/config.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <filesystem>
#include <stdexcept>

namespace archscan::cli {
namespace {

namespace fs = std::filesystem;

std::string where(const Config& c, const toml::node& n) { return fmt::format("{}:{}", c.path, n.source().begin.line); }

std::vector<std::string> strings(const Config& c, const std::string& key, const toml::node& n) {
  std::vector<std::string> out;
  if (auto s = n.value<std::string>()) return {*s};  // `select = "CE001"` as a list of one
  const toml::array* a = n.as_array();
  if (a)
    for (const auto& e : *a)
      if (auto s = e.value<std::string>()) out.push_back(*s);
  if (!a || out.size() != a->size())
    throw std::runtime_error(fmt::format("{}: {} must be a string or a list of strings", where(c, n), key));
  return out;
}

std::string string(const Config& c, const std::string& key, const toml::node& n) {
  if (auto s = n.value<std::string>()) return *s;
  throw std::runtime_error(fmt::format("{}: {} must be a string", where(c, n), key));
}

void read_table(Config& c, const toml::table& t) {
  const fs::path dir = fs::path(c.path).parent_path();
  auto relative_to_config = [&](const std::string& p) { return (dir / p).lexically_normal().string(); };
  for (const auto& [k, node] : t) {
    const std::string key(k.str());
    if (key == "select")
      c.select = strings(c, key, node);
    else if (key == "ignore")
      c.ignore = strings(c, key, node);
    else if (key == "exclude")
      c.exclude = strings(c, key, node);
    else if (key == "cpp-flags")
      c.cpp_flags = strings(c, key, node);
    else if (key == "fail-on")
      c.fail_on = string(c, key, node);
    else if (key == "db")
      c.db = relative_to_config(string(c, key, node));
    else if (key == "compile-commands")
      c.compile_commands = relative_to_config(string(c, key, node));
    else if (key == "fail-on-skipped") {
      if (!node.is_boolean())
        throw std::runtime_error(fmt::format("{}: {} must be true or false", where(c, node), key));
      c.fail_on_skipped = node.value<bool>();
    } else {
      // A typo must not silently drop a setting (an `ignore` that ignores nothing, say).
      throw std::runtime_error(
          fmt::format("{}: unknown key '{}' (select, ignore, exclude, fail-on, fail-on-skipped, "
                      "db, cpp-flags, compile-commands)",
                      where(c, node), key));
    }
  }
}

toml::table parse(const fs::path& file) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(
        fmt::format("{}:{}: invalid TOML: {}", file.string(), e.source().begin.line, e.description()));
  }
}

}  // namespace

Config load_config(const std::string& start) {
  Config c;
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    if (fs::is_regular_file(dir / "archscan.toml", ec)) {
      c.path = (dir / "archscan.toml").string();
      read_table(c, parse(c.path));
      return c;
    }
    if (fs::is_regular_file(dir / "pyproject.toml", ec)) {
      toml::table t = parse(dir / "pyproject.toml");
      if (const toml::table* mine = t["tool"]["archscan"].as_table()) {
        c.path = (dir / "pyproject.toml").string();
        read_table(c, *mine);
        return c;
      }
    }
    if (dir == dir.root_path()) break;
  }
  return c;
}

}  // namespace archscan::cli
