// `archscan rules` lists the rules; `archscan rule ID` prints a rule's doc page.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "findings/rule.h"

namespace archscan::cli {
namespace {

const CommandRegistrar list_reg([](CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = app.add_subcommand("rules", "List the rules");
  cmd->add_option("--format", *format, "text or json")->capture_default_str();
  cmd->callback([format] {
    if (*format != "text" && *format != "json") {
      std::cerr << "archscan: --format must be text or json\n";
      throw CLI::RuntimeError(kExitError);
    }
    const auto& rules = RuleRegistry::instance().rules();
    if (*format == "json") {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& r : rules) {
        const RuleInfo& i = r->info();
        j.push_back({{"id", i.id},
                     {"name", i.name},
                     {"category", i.category},
                     {"severity", to_string(i.severity)},
                     {"summary", i.summary}});
      }
      std::cout << j.dump(2) << "\n";
    } else {
      for (const auto& r : rules) {
        const RuleInfo& i = r->info();
        std::cout << fmt::format("{:<8} {:<7} {:<34} {}\n", i.id, to_string(i.severity), i.name, i.summary);
      }
    }
    throw CLI::RuntimeError(kExitClean);
  });
});

const CommandRegistrar doc_reg([](CLI::App& app) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("rule", "Explain a rule: its doc page with a bad and a good example");
  cmd->add_option("id", *id, "Rule id or name")->required();
  cmd->callback([id] {
    const Rule* r = RuleRegistry::instance().find(*id);
    if (!r) {
      std::cerr << "archscan: no rule " << *id << " (see `archscan rules`)\n";
      throw CLI::RuntimeError(kExitError);
    }
    std::string doc = rule_doc(r->info().id);
    if (doc.empty()) doc = fmt::format("# {} {}\n\n{}\n", r->info().id, r->info().name, r->info().summary);
    std::cout << doc;
    throw CLI::RuntimeError(kExitClean);
  });
});

}  // namespace
}  // namespace archscan::cli
