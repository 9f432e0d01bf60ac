// `archscan ir PATH...`: print the model IR (for people and tests).
#include <iostream>

#include "cli/command.h"
#include "cli/scan_options.h"
#include "core/pipeline.h"

namespace archscan::cli {
namespace {

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<CommonScanArgs>();
  CLI::App* cmd = app.add_subcommand("ir", "Print the model IR of files or directories");
  args->add(*cmd, false);
  cmd->callback([args] {
    auto program = build_program(args->to_options());
    std::cout << ir::print(*program);
    int rc = kExitClean;
    for (const auto& f : program->files)
      if (f.status == ir::FileStatus::Error) {
        std::cerr << "archscan: " << f.path << ": error: " << f.message << "\n";
        rc = kExitError;
      }
    throw CLI::RuntimeError(rc);
  });
});

}  // namespace
}  // namespace archscan::cli
