// `archscan eval CORPUS`: compare findings with the corpus labels (`# expect: ...`).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/scan_options.h"
#include "core/pipeline.h"
#include "findings/labels.h"

namespace archscan::cli {
namespace {

struct EvalArgs {
  CommonScanArgs common;
  double min_recall = -1;
  int max_fp = -1;
  std::string format = "text";
};

struct Row {
  int expected = 0, found = 0, right = 0;
};

int run(EvalArgs& a) {
  if (int rc = prepare_or_exit(a.common); rc >= 0) return rc;
  if (a.format != "text" && a.format != "json") {
    std::cerr << "archscan: --format must be text or json\n";
    return kExitError;
  }
  ScanOptions opts = a.common.to_options();
  opts.no_db = true;
  ScanOutput out = run_scan(opts);
  std::vector<std::string> paths;
  for (const auto& f : out.program->files) paths.push_back(f.path);
  std::vector<Label> labels;
  for (const auto& f : out.program->files) {
    auto l = parse_labels(f.path, f.text);
    labels.insert(labels.end(), l.begin(), l.end());
  }
  auto checks = check_labels(labels, out.result.findings, paths);

  std::map<std::string, Row> rows;
  // Expected type x reported type ("-": no chain on the line), T-labels only.
  std::map<std::string, std::map<std::string, int>> confusion;
  int passed = 0, failed = 0, fp_findings = 0, benign_cases = 0, benign_fp_cases = 0, expected = 0, right = 0;
  std::vector<const LabelCheck*> failures;
  for (const auto& c : checks) {
    if (c.label.what == "none") {
      ++benign_cases;
      if (!c.passed) {
        ++benign_fp_cases;
        fp_findings += static_cast<int>(std::count(c.detail.begin(), c.detail.end(), ';')) + 1;
      }
    } else if (c.label.must_fire && c.label.message.empty() && c.label.trace.empty()) {
      // (message / trace labels check wording; they pass or fail but are not detections to count)
      Row& r = rows[c.label.what];
      ++r.expected;
      r.found += c.found;
      r.right += c.right_type;
      ++expected;
      right += c.right_type;
      if (c.label.what.size() > 1 && c.label.what[0] == 'T')
        ++confusion[c.label.what][c.found_type.empty() ? "-" : c.found_type];
    }
    (c.passed ? passed : failed)++;
    if (!c.passed) failures.push_back(&c);
  }
  double recall = expected ? static_cast<double>(right) / expected : 1.0;

  if (a.format == "json") {
    nlohmann::json j;
    for (const auto& [k, r] : rows)
      j["types"][k] = {{"expected", r.expected}, {"found", r.found}, {"right_type", r.right}};
    j["recall"] = recall;
    for (const auto& [e, row] : confusion)
      for (const auto& [f, n] : row) j["confusion"][e][f] = n;
    j["benign_cases"] = benign_cases;
    j["benign_cases_with_findings"] = benign_fp_cases;
    j["false_positive_findings"] = fp_findings;
    for (const auto* c : failures)
      j["failures"].push_back(
          {{"path", c->label.path}, {"line", c->label.line}, {"label", c->label.what}, {"detail", c->detail}});
    j["passed"] = passed;
    j["failed"] = failed;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{:<8} {:>8} {:>6} {:>10}\n", "label", "expected", "found", "right type");
    auto order = [](const std::string& k) {
      bool t = k.size() > 1 && k[0] == 'T' && std::isdigit(static_cast<unsigned char>(k[1]));
      return std::make_pair(t ? 0 : 1, t ? std::stoi(k.substr(1)) : 0);
    };
    std::vector<std::string> keys;
    for (const auto& [k, _] : rows) keys.push_back(k);
    std::sort(keys.begin(), keys.end(),
              [&](const auto& x, const auto& y) { return std::make_pair(order(x), x) < std::make_pair(order(y), y); });
    for (const auto& k : keys)
      std::cout << fmt::format("{:<8} {:>8} {:>6} {:>10}\n", k, rows[k].expected, rows[k].found, rows[k].right);
    std::cout << fmt::format("recall (right type): {}/{} = {:.1f}%\n", right, expected, 100 * recall);
    if (!confusion.empty()) {
      // Rows: the labelled type; columns: the type reported on the line, `-` for none.
      std::vector<std::string> cols;
      for (int t = 1; t <= 12; ++t) cols.push_back(fmt::format("T{}", t));
      cols.push_back("-");
      std::cout << fmt::format("{:<15}", "expected\\found");
      for (const auto& c : cols) std::cout << fmt::format("{:>4}", c);
      std::cout << "\n";
      for (int t = 1; t <= 12; ++t) {
        auto it = confusion.find(fmt::format("T{}", t));
        if (it == confusion.end()) continue;
        std::cout << fmt::format("{:<15}", it->first);
        for (const auto& c : cols) {
          auto n = it->second.find(c);
          std::cout << fmt::format("{:>4}", n == it->second.end() ? std::string(".") : std::to_string(n->second));
        }
        std::cout << "\n";
      }
    }
    std::cout << fmt::format("benign cases: {}, with warnings or errors: {} ({} finding{})\n", benign_cases,
                             benign_fp_cases, fp_findings, fp_findings == 1 ? "" : "s");
    for (const auto* c : failures)
      std::cout << fmt::format("FAIL {}:{} expect {}: {}\n", c->label.path, c->label.line,
                               c->label.what == "none" ? "none" : c->label.what, c->detail);
    std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
  }
  if (a.min_recall >= 0 || a.max_fp >= 0) {
    bool ok = (a.min_recall < 0 || recall + 1e-9 >= a.min_recall) && (a.max_fp < 0 || fp_findings <= a.max_fp);
    return ok ? kExitClean : kExitFindings;
  }
  if (labels.empty()) {
    std::cerr << "archscan: no `expect:` labels found\n";
    return kExitError;
  }
  return failed == 0 ? kExitClean : kExitFindings;
}

const CommandRegistrar reg([](CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "Check findings against the corpus labels (# expect: ...)");
  args->common.add(*cmd, false);
  cmd->add_option("--min-recall", args->min_recall, "Pass when this fraction of labels is found with the right type");
  cmd->add_option("--max-fp", args->max_fp, "Pass when benign cases have at most this many findings");
  cmd->add_option("--format", args->format, "text or json")->capture_default_str();
  cmd->callback([args] { throw CLI::RuntimeError(run(*args)); });
});

}  // namespace
}  // namespace archscan::cli
