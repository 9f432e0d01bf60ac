// archscan: find architectural backdoors in neural-network model definitions.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/command.h"

namespace archscan::cli {
namespace {
std::vector<std::function<void(CLI::App&)>>& adders() {
  static std::vector<std::function<void(CLI::App&)>> a;
  return a;
}
}  // namespace

std::vector<std::string>& passthrough_args() {
  static std::vector<std::string> v;
  return v;
}

std::vector<std::string>& command_line() {
  static std::vector<std::string> v;
  return v;
}

CommandRegistrar::CommandRegistrar(std::function<void(CLI::App&)> add) { adders().push_back(std::move(add)); }

}  // namespace archscan::cli

int main(int argc, char** argv) {
  using namespace archscan::cli;
  CLI::App app{"archscan: find architectural backdoors in neural-network model definitions"};
  app.set_version_flag("--version", std::string("archscan ") + ARCHSCAN_VERSION);
  app.require_subcommand(1);
  for (auto& add : adders()) add(app);
  for (int i = 0; i < argc; ++i) command_line().push_back(argv[i]);
  // Everything after a lone `--` is for the C++ compiler, not for us.
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) != "--") continue;
    for (int k = i + 1; k < argc; ++k) passthrough_args().push_back(argv[k]);
    argc = i;
    break;
  }
  // CLI11 would answer a mistyped command with "A subcommand is required": name it and the commands.
  if (argc > 1 && argv[1][0] != '-') {
    auto subs = app.get_subcommands([&](CLI::App* s) { return s->check_name(argv[1]); });
    if (subs.empty()) {
      std::string names;
      for (CLI::App* s : app.get_subcommands([](CLI::App*) { return true; })) names += " " + s->get_name();
      std::fprintf(stderr, "archscan: unknown command '%s' (commands:%s)\n", argv[1], names.c_str());
      return kExitError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "archscan: internal error: %s\n", e.what());
    return kExitError;
  }
  return kExitClean;
}
