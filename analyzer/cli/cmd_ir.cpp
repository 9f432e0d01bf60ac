// `archscan ir PATH...`: print the model IR (for people and tests).
#include <iostream>

#include "analysis/analyses.h"
#include "cli/command.h"
#include "cli/scan_options.h"
#include "core/pipeline.h"

namespace archscan::cli {
namespace {

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<CommonScanArgs>();
  auto show_flow = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("ir", "Print the model IR of files or directories");
  args->add(*cmd, false);
  cmd->add_flag("--flow", *show_flow, "Print each model root's inlined dataflow with input-flow facts instead");
  cmd->callback([args, show_flow] {
    if (int rc = prepare_or_exit(*args); rc >= 0) throw CLI::RuntimeError(rc);
    auto program = build_program(args->to_options());
    if (*show_flow) {
      Analyses analyses(*program);
      for (const auto& fr : analyses.flows()) std::cout << flow::print(*program, fr) << "\n";
    } else {
      std::cout << ir::print(*program);
    }
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
