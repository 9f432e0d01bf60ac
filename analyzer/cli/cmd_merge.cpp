// `archscan merge A.db B.db ... -o all.db`: combine review databases, e.g. the per-shard databases of
// a scan spread over machines (`archscan scan --shard K/N --db shard-K.db`). See store/merge.h.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "store/merge.h"

namespace archscan::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string output;
};

int run(const MergeArgs& a) {
  store::MergeReport r;
  try {
    r = store::merge_databases(a.inputs, a.output);
  } catch (const std::exception& e) {
    std::string m = e.what();
    for (char& c : m)
      if (c == '\n') c = ' ';
    std::cerr << fmt::format("archscan: merge: {} ({} left as it was)\n", m, a.output);
    return kExitError;
  }
  for (const auto& n : r.notes) std::cerr << "archscan: merge: note: " << n << "\n";
  std::cout << fmt::format(
      "merged {} database{} into {}: {} run{} ({} shard runs combined into {}, {} duplicate run{} dropped), {} "
      "finding{}, {} review{}, {} cached file{}\n",
      r.inputs, r.inputs == 1 ? "" : "s", a.output, r.runs, r.runs == 1 ? "" : "s", r.shard_runs, r.combined_runs,
      r.duplicate_runs, r.duplicate_runs == 1 ? "" : "s", r.findings, r.findings == 1 ? "" : "s", r.reviews,
      r.reviews == 1 ? "" : "s", r.cached_files, r.cached_files == 1 ? "" : "s");
  return kExitClean;
}

const CommandRegistrar reg([](CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Combine review databases (e.g. the shards of `scan --shard K/N`) into one, without loss or duplicates");
  cmd->add_option("databases", a->inputs, "The databases to combine")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a->output, "The database to write (merged into when it exists)")->required();
  cmd->callback([a] { throw CLI::RuntimeError(run(*a)); });
});

}  // namespace
}  // namespace archscan::cli
