// `archscan findings`: list the findings of the store with their review state.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/store_location.h"
#include "sinks/json_format.h"
#include "store/store.h"

namespace archscan::cli {
namespace {

struct FindingsArgs {
  std::vector<std::string> states;
  std::vector<std::string> rules;
  std::string format = "text";
  std::string db;
  std::string root;
  int64_t run = 0;
};

int run(const FindingsArgs& a) {
  store::FindingQuery q;
  bool all_states = false;
  for (const std::string& s : a.states) {
    if (s == "all") {
      all_states = true;
      continue;
    }
    store::ReviewState st;
    if (!store::parse_review_state(s, st)) {
      std::cerr << "archscan: unknown --state " << s << " (open, confirmed, false_positive, wont_fix, fixed, all)\n";
      return kExitError;
    }
    q.states.push_back(st);
  }
  // By default everything but the fixed findings.
  if (q.states.empty() && !all_states)
    q.states = {store::ReviewState::Open, store::ReviewState::Confirmed, store::ReviewState::FalsePositive,
                store::ReviewState::WontFix};
  if (all_states) q.states.clear();
  q.rules = a.rules;
  q.run_id = a.run;
  if (a.format != "text" && a.format != "json") {
    std::cerr << "archscan: --format must be text or json\n";
    return kExitError;
  }
  std::string db_path;
  try {
    db_path = locate_database(a.db, a.root);
    store::Store st(db_path, false);
    if (!a.root.empty()) q.root = std::filesystem::weakly_canonical(std::filesystem::absolute(a.root)).string();
    auto found = st.findings(q);
    if (a.format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& sf : found) {
        nlohmann::json j = finding_json(sf.finding);
        j["root"] = sf.root;
        j["state"] = store::to_string(sf.review.state);
        if (!sf.review.reason.empty()) j["reason"] = sf.review.reason;
        j["first_seen"] = sf.first_seen;
        j["last_seen"] = sf.last_seen;
        j["first_run"] = sf.first_run;
        j["last_run"] = sf.last_run;
        nlohmann::json history = nlohmann::json::array();
        for (const auto& r : st.history(sf.finding.fingerprint)) {
          nlohmann::json h = {{"state", store::to_string(r.state)}, {"author", r.author}, {"at", r.at}};
          if (!r.reason.empty()) h["reason"] = r.reason;
          if (r.run_id) h["run"] = r.run_id;
          history.push_back(std::move(h));
        }
        j["history"] = std::move(history);
        out.push_back(std::move(j));
      }
      std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      for (const auto& sf : found) {
        const Finding& f = sf.finding;
        std::string rule = f.taxonomy.empty() ? f.rule : fmt::format("{} ({})", f.rule, f.taxonomy);
        std::cout << fmt::format("{}  {:<14} {:<7} {:<12} {}:{}:{}  {}\n", f.fingerprint,
                                 store::to_string(sf.review.state), to_string(f.severity), rule, f.path, f.line,
                                 f.column, f.message);
        if (!sf.review.reason.empty() && sf.review.state != store::ReviewState::Open)
          std::cout << fmt::format("{:>18}{}\n", "", sf.review.reason);
      }
      std::cout << fmt::format("{} finding{}\n", found.size(), found.size() == 1 ? "" : "s");
    }
  } catch (const std::exception& e) {
    std::cerr << "archscan: " << database_failure(db_path, e) << "\n";
    return kExitError;
  }
  return kExitClean;
}

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<FindingsArgs>();
  CLI::App* cmd = app.add_subcommand("findings", "List the stored findings with their review state");
  cmd->add_option("--state", args->states,
                  "Only findings in this review state: open, confirmed, false_positive, wont_fix, fixed, or all "
                  "(repeatable; default: all but fixed)");
  cmd->add_option("--rule", args->rules, "Only findings of this rule id (repeatable)");
  cmd->add_option("--format", args->format, "text or json")->capture_default_str();
  cmd->add_option("--db", args->db, "Findings database (default: the nearest .archscan/archscan.db)");
  cmd->add_option("--root", args->root, "Only findings of scans of this root directory");
  cmd->add_option("--run", args->run, "Only findings reported by this run id");
  cmd->callback([args] { throw CLI::RuntimeError(run(*args)); });
});

}  // namespace
}  // namespace archscan::cli
