// CLI subcommands register themselves: each cmd_*.cpp defines a static CommandRegistrar whose adder
// builds its CLI11 subcommand. A subcommand reports its exit code by throwing CLI::RuntimeError(code).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace archscan::cli {

// Exit codes, as Ruff: 0 clean, 1 findings at or above --fail-on, 2 usage or internal error.
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

// Arguments after a lone `--` on the command line (passed to the C++ front-end's compiler).
std::vector<std::string>& passthrough_args();
// The whole command line as given (recorded with each run).
std::vector<std::string>& command_line();

struct CommandRegistrar {
  explicit CommandRegistrar(std::function<void(CLI::App&)> add);
};

}  // namespace archscan::cli
