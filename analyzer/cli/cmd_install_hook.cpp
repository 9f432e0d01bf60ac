// `archscan install-hook`: a plain git pre-commit hook running `archscan diff --staged`, for
// repositories that do not use the pre-commit framework (.pre-commit-hooks.yaml serves those).
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "vcs/git.h"

namespace archscan::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarker = "# Installed by `archscan install-hook`";

struct HookArgs {
  std::string dir = ".";
  std::string fail_on;
  std::string archscan;  // the binary the hook runs (default: this one)
  bool force = false;
};

// Single-quoted for sh.
std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string this_binary() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("archscan") : p.string();
}

int run(const HookArgs& a) {
  if (!a.fail_on.empty() && a.fail_on != "note" && a.fail_on != "warning" && a.fail_on != "error" &&
      a.fail_on != "none") {
    std::cerr << "archscan: --fail-on must be note, warning, error or none\n";
    return kExitError;
  }
  vcs::CommandResult r = vcs::run_git(a.dir, {"rev-parse", "--path-format=absolute", "--git-path", "hooks/pre-commit"});
  if (r.status != 0) {
    std::cerr << "archscan: install-hook: not inside a git repository\n";
    return kExitError;
  }
  std::string path = r.out.substr(0, r.out.find('\n'));
  std::error_code ec;
  if (fs::exists(path, ec) && !a.force) {
    std::ifstream in(path);
    std::stringstream old;
    old << in.rdbuf();
    if (old.str().find(kMarker) == std::string::npos) {
      std::cerr << fmt::format(
          "archscan: install-hook: {} exists and was not written by archscan (the pre-commit framework's, or "
          "your own): add the archscan-diff hook to it (.pre-commit-hooks.yaml), or pass --force to replace it\n",
          path);
      return kExitError;
    }
  }
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::string command = sh_quote(a.archscan.empty() ? this_binary() : a.archscan) + " diff --staged";
  if (!a.fail_on.empty()) command += " --fail-on " + a.fail_on;
  std::ofstream out(path, std::ios::trunc);
  out << "#!/bin/sh\n"
      << kMarker << ": blocks a commit whose staged changes add a finding.\n"
      << "# `git commit --no-verify` skips it; `archscan install-hook` again rewrites it.\n"
      << "exec " << command << "\n";
  out.close();
  if (!out || chmod(path.c_str(), 0755) != 0) {
    std::cerr << fmt::format("archscan: install-hook: cannot write {}\n", path);
    return kExitError;
  }
  std::cout << fmt::format("archscan: installed the pre-commit hook {} (runs: {})\n", path, command);
  return kExitClean;
}

const CommandRegistrar reg([](CLI::App& app) {
  auto a = std::make_shared<HookArgs>();
  CLI::App* cmd = app.add_subcommand("install-hook", "Install a git pre-commit hook running `archscan diff --staged`");
  cmd->add_option("-C", a->dir, "The repository (default: the current directory's)");
  cmd->add_option("--fail-on", a->fail_on, "Passed to the hook's `archscan diff` (note, warning, error, none)");
  cmd->add_option("--archscan", a->archscan, "The archscan binary the hook runs (default: this one, by absolute path)");
  cmd->add_flag("--force", a->force, "Replace an existing pre-commit hook that archscan did not write");
  cmd->callback([a] { throw CLI::RuntimeError(run(*a)); });
});

}  // namespace
}  // namespace archscan::cli
