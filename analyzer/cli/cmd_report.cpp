// `archscan report`: one self-contained HTML file for a stored run (default: the latest), with a
// summary by type and severity, each finding's code, trigger path and review history.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/store_location.h"
#include "review/report_data.h"
#include "sinks/html.h"
#include "store/store.h"

namespace archscan::cli {
namespace {

struct ReportArgs {
  std::string output;
  std::string db;
  std::string root;
  int64_t run = 0;
};

int run(const ReportArgs& a) {
  std::string db_path;
  try {
    db_path = locate_database(a.db, a.root);
    store::Store st(db_path, false);
    std::optional<store::RunInfo> run;
    if (a.run > 0) {
      run = st.run(a.run);
      if (!run) {
        std::cerr << fmt::format("archscan: no run {} in the database\n", a.run);
        return kExitError;
      }
    } else {
      std::string root;
      if (!a.root.empty()) root = std::filesystem::weakly_canonical(std::filesystem::absolute(a.root)).string();
      run = st.latest_run(root);
      if (!run) {
        std::cerr << "archscan: the database holds no run" << (root.empty() ? "" : " of " + root)
                  << "; run `archscan scan` first\n";
        return kExitError;
      }
    }
    std::string html = sinks::render_report(review::report_data(st, *run));
    if (a.output.empty() || a.output == "-") {
      std::cout << html;
    } else {
      std::ofstream out(a.output, std::ios::binary);
      out << html;
      out.close();
      if (!out) {
        std::cerr << "archscan: cannot write " << a.output << "\n";
        return kExitError;
      }
      std::cerr << fmt::format("archscan: wrote {} ({} finding{} of run {})\n", a.output, run->finding_count,
                               run->finding_count == 1 ? "" : "s", run->id);
    }
  } catch (const std::exception& e) {
    std::cerr << "archscan: " << database_failure(db_path, e) << "\n";
    return kExitError;
  }
  return kExitClean;
}

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand("report", "Write a self-contained HTML report of a stored scan");
  cmd->add_option("-o,--output", args->output, "HTML file to write (default: standard output)");
  cmd->add_option("--db", args->db, "Findings database (default: the nearest .archscan/archscan.db)");
  cmd->add_option("--root", args->root, "Report the latest run of this scan root");
  cmd->add_option("--run", args->run, "Report this run id");
  cmd->callback([args] { throw CLI::RuntimeError(run(*args)); });
});

}  // namespace
}  // namespace archscan::cli
