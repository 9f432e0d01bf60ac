// `archscan review FINGERPRINT... --state S --reason "..."`: record a review verdict (appended to the
// history, never rewritten). Without --state it prints the finding's history.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/store_location.h"
#include "store/store.h"

namespace archscan::cli {
namespace {

struct ReviewArgs {
  std::vector<std::string> fingerprints;
  std::string state;
  std::string reason;
  std::string author;
  std::string db;
};

int run(const ReviewArgs& a) {
  store::ReviewState state = store::ReviewState::Open;
  const bool set = !a.state.empty();
  if (set) {
    if (!store::parse_review_state(a.state, state) || state == store::ReviewState::Fixed) {
      std::cerr << "archscan: --state must be open, confirmed, false_positive or wont_fix "
                   "(fixed is set by scans when a finding disappears)\n";
      return kExitError;
    }
    if (store::needs_reason(state) && a.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      std::cerr << fmt::format("archscan: --reason is required to mark a finding {}\n", a.state);
      return kExitError;
    }
  }
  std::string db_path;
  try {
    db_path = locate_database(a.db, "");
    store::Store st(db_path, false);
    // Resolve every prefix first: nothing is written unless all are unambiguous.
    std::vector<std::string> resolved;
    for (const std::string& prefix : a.fingerprints) {
      auto matches = st.resolve_fingerprint(prefix);
      if (matches.empty()) {
        std::cerr << fmt::format("archscan: no finding with fingerprint {} (see `archscan findings`)\n", prefix);
        return kExitError;
      }
      if (matches.size() > 1) {
        std::cerr << fmt::format("archscan: fingerprint prefix {} is ambiguous:", prefix);
        for (const auto& m : matches) std::cerr << " " << m;
        std::cerr << "\n";
        return kExitError;
      }
      resolved.push_back(matches[0]);
    }
    for (const std::string& fp : resolved) {
      if (set) {
        store::Review before = st.current_review(fp);
        store::Review r = st.add_review(fp, state, a.reason, a.author);
        std::cout << fmt::format("{}: {} -> {} ({})\n", fp, store::to_string(before.state), store::to_string(r.state),
                                 r.author);
      } else {
        std::cout << fmt::format("{}: {}\n", fp, store::to_string(st.current_review(fp).state));
        for (const auto& r : st.history(fp))
          std::cout << fmt::format("  {}  {:<14} {:<12} {}\n", r.at, store::to_string(r.state), r.author, r.reason);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "archscan: " << database_failure(db_path, e) << "\n";
    return kExitError;
  }
  return kExitClean;
}

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<ReviewArgs>();
  CLI::App* cmd = app.add_subcommand(
      "review", "Review findings: set their state (with a reason to dismiss), or show their history");
  cmd->add_option("fingerprint", args->fingerprints, "Fingerprint(s) or unique prefixes (see `archscan findings`)")
      ->required();
  cmd->add_option("--state", args->state, "open, confirmed, false_positive or wont_fix");
  cmd->add_option("--reason", args->reason, "Why (required for false_positive and wont_fix)");
  cmd->add_option("--author", args->author, "Reviewer (default: $ARCHSCAN_AUTHOR or the login name)");
  cmd->add_option("--db", args->db, "Findings database (default: the nearest .archscan/archscan.db)");
  cmd->callback([args] { throw CLI::RuntimeError(run(*args)); });
});

}  // namespace
}  // namespace archscan::cli
