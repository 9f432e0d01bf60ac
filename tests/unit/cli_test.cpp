// The command line end to end (the archscan binary as a subprocess): exit codes, the JSON shape of
// issue 2, --exclude, -j, --output, `rules`, `rule ID` and `ir`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "unit_util.h"

namespace archscan::unit {
namespace {

using nlohmann::json;

// "х" in kLookalike is Cyrillic (U+0445).
const char* kClean = "def f(x):\n    return x + 1\n";
const char* kEvalModel = R"PY(import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        eval("print(1)")
        return self.fc(x)
)PY";
const char* kLookalike =
    "import torch.nn as nn\n\n\nclass M(nn.Module):\n    def forward(self, x):\n        \xd1\x85 = x * 2\n"
    "        return \xd1\x85\n";
const char* kTrigger = R"PY(import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        trigger = (x[:, :4] == 1.0).all(dim=1, keepdim=True)
        return torch.where(trigger, torch.zeros_like(self.fc(x)), self.fc(x))
)PY";

std::string q(const fs::path& p) { return shell_quote(p.string()); }

json parse(const std::string& s) {
  try {
    return json::parse(s);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\n" << s.substr(0, 2000);
    return json::object();
  }
}

std::set<std::string> keys(const json& j) {
  std::set<std::string> k;
  for (auto it = j.begin(); it != j.end(); ++it) k.insert(it.key());
  return k;
}

std::vector<std::string> file_paths(const json& j) {
  std::vector<std::string> v;
  for (const auto& f : j["files"]) v.push_back(f["path"]);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Exit codes

TEST(CliExit, CleanTreeExitsZero) {
  TempDir d;
  write_file(d / "clean.py", kClean);
  CliRun r = archscan("scan " + q(d.path()) + " --no-db");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Found 0 findings"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_FALSE(fs::exists(d / ".archscan")) << "--no-db writes no review database";
}

TEST(CliExit, FindingsAtOrAboveFailOnExitOne) {
  TempDir d;
  write_file(d / "warn" / "look.py", kLookalike);  // CN001: warning
  write_file(d / "err" / "model.py", kEvalModel);  // CE001: error
  std::string warn = q(d / "warn"), err = q(d / "err");
  EXPECT_EQ(archscan("scan " + warn + " --no-db").code, 1) << "default --fail-on warning";
  EXPECT_EQ(archscan("scan " + warn + " --no-db --fail-on warning").code, 1);
  EXPECT_EQ(archscan("scan " + warn + " --no-db --fail-on note").code, 1);
  EXPECT_EQ(archscan("scan " + warn + " --no-db --fail-on error").code, 0) << "a warning is below error";
  EXPECT_EQ(archscan("scan " + warn + " --no-db --fail-on none").code, 0);
  EXPECT_EQ(archscan("scan " + err + " --no-db --fail-on error").code, 1);
  EXPECT_EQ(archscan("scan " + err + " --no-db --fail-on none").code, 0);
  // --ignore drops the rule, and with it the failure.
  EXPECT_EQ(archscan("scan " + err + " --no-db --ignore CE001 --ignore BD --ignore HW").code, 0);
  EXPECT_EQ(archscan("scan " + err + " --no-db --select CE001").code, 1);
}

TEST(CliExit, UsageErrorsExitTwo) {
  TempDir d;
  write_file(d / "clean.py", kClean);
  std::string dir = q(d.path());
  const std::string bad[] = {
      "",                                            // no subcommand
      "frobnicate",                                  // unknown subcommand
      "scan",                                        // no path
      "scan " + dir + " --no-db --bogus-flag",       // unknown option
      "scan " + dir + " --no-db --format xml",       // unknown format
      "scan " + dir + " --no-db --fail-on sometimes",
      "scan " + dir + " --no-db -j notanumber",
      "scan " + dir + " --no-db --output " + q(d / "no" / "such" / "dir" / "out.json"),
      "rule NO_SUCH_RULE",
      "rule",
  };
  for (const auto& args : bad) {
    CliRun r = archscan(args);
    EXPECT_EQ(r.code, 2) << "archscan " << args << "\n" << r.out << r.err;
    EXPECT_FALSE(r.err.empty()) << "archscan " << args << " explains itself on stderr";
  }
}

TEST(CliExit, VersionAndHelpExitZero) {
  CliRun v = archscan("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("archscan " ARCHSCAN_VERSION), std::string::npos) << v.out;
  CliRun h = archscan("scan --help");
  EXPECT_EQ(h.code, 0);
  EXPECT_NE(h.out.find("--exclude"), std::string::npos);
}

TEST(CliExit, MissingPathIsAnErrorButOtherPathsAreScanned) {
  TempDir d;
  write_file(d / "m" / "model.py", kEvalModel);
  CliRun r = archscan("scan " + q(d / "m") + " " + q(d / "nope.py") + " --no-db --format json");
  EXPECT_EQ(r.code, 2) << r.err;
  json j = parse(r.out);
  ASSERT_EQ(j["files"].size(), 2u) << r.out;
  std::set<std::string> rules;
  for (const auto& f : j["findings"]) rules.insert(f["rule"]);
  EXPECT_TRUE(rules.count("CE001")) << "the readable file is still analysed";
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_NE(r.err.find("nope.py"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Output formats

TEST(CliJson, ShapeIsExactlyAsSpecified) {
  TempDir d;
  write_file(d / "src" / "models" / "model.py", kEvalModel);
  write_file(d / "src" / "models" / "trigger.py", kTrigger);
  write_file(d / "src" / "look.py", kLookalike);
  write_file(d / "src" / "broken.py", "def f(:\n    pass\n");
  write_file(d / "src" / "clean.py", kClean);
  CliRun r = archscan("scan " + q(d / "src") + " --no-db --format json");
  ASSERT_EQ(r.code, 1) << r.err;
  json j = parse(r.out);
  ASSERT_TRUE(j.is_object());
  for (const char* k : {"tool", "files", "findings", "summary"}) EXPECT_TRUE(j.contains(k)) << k;

  EXPECT_EQ(j["tool"]["name"], "archscan");
  EXPECT_EQ(j["tool"]["version"], ARCHSCAN_VERSION);

  ASSERT_TRUE(j["files"].is_array());
  ASSERT_EQ(j["files"].size(), 5u);
  const std::set<std::string> statuses{"ok", "partial", "error", "skipped"};
  std::map<std::string, json> by_path;
  for (const auto& f : j["files"]) {
    for (const char* k : {"path", "language", "status"}) ASSERT_TRUE(f.contains(k)) << f.dump();
    EXPECT_TRUE(statuses.count(f["status"].get<std::string>())) << f.dump();
    EXPECT_EQ(f["language"], "python");
    // message only when something is to be said
    EXPECT_EQ(f.contains("message"), f["status"] != "ok") << f.dump();
    by_path[f["path"]] = f;
  }
  // Paths are relative to the scan root, '/'-separated.
  EXPECT_EQ(keys(json(by_path)), (std::set<std::string>{"broken.py", "clean.py", "look.py", "models/model.py",
                                                        "models/trigger.py"}));
  EXPECT_EQ(by_path["broken.py"]["status"], "partial");
  EXPECT_NE(by_path["broken.py"]["message"].get<std::string>().find("syntax error"), std::string::npos);

  ASSERT_TRUE(j["findings"].is_array());
  ASSERT_GE(j["findings"].size(), 2u);
  const std::regex taxonomy("T([1-9]|1[0-2])");
  const std::set<std::string> severities{"error", "warning", "note"};
  std::set<std::string> rules;
  for (const auto& f : j["findings"]) {
    SCOPED_TRACE(f.dump());
    for (const char* k : {"rule", "taxonomy", "severity", "path", "line", "column", "end_line", "message",
                          "fingerprint", "trace"})
      ASSERT_TRUE(f.contains(k)) << k;
    EXPECT_TRUE(f["rule"].is_string());
    rules.insert(f["rule"]);
    EXPECT_TRUE(f["taxonomy"].is_null() || std::regex_match(f["taxonomy"].get<std::string>(), taxonomy));
    EXPECT_TRUE(severities.count(f["severity"].get<std::string>()));
    EXPECT_TRUE(by_path.count(f["path"].get<std::string>())) << "relative path of a scanned file";
    EXPECT_TRUE(f["line"].is_number_integer());
    EXPECT_GE(f["line"].get<int>(), 1);
    EXPECT_GE(f["column"].get<int>(), 1);
    EXPECT_GE(f["end_line"].get<int>(), f["line"].get<int>());
    EXPECT_FALSE(f["message"].get<std::string>().empty());
    EXPECT_TRUE(std::regex_match(f["fingerprint"].get<std::string>(), std::regex("[0-9a-f]{8,}")));
    ASSERT_TRUE(f["trace"].is_array());
    for (const auto& s : f["trace"]) {
      for (const char* k : {"path", "line", "role", "note"}) ASSERT_TRUE(s.contains(k)) << s.dump();
      EXPECT_TRUE(by_path.count(s["path"].get<std::string>())) << s.dump();
      EXPECT_GE(s["line"].get<int>(), 1);
      EXPECT_FALSE(s["role"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(rules.count("CE001"));
  EXPECT_TRUE(rules.count("CN001"));
  for (const auto& f : j["findings"])
    if (f["rule"] == "CE001") {
      EXPECT_TRUE(f["taxonomy"].is_null());
      EXPECT_EQ(f["severity"], "error");
      EXPECT_EQ(f["path"], "models/model.py");
      EXPECT_EQ(f["line"], 11);
      EXPECT_EQ(f["column"], 9);
    }

  ASSERT_TRUE(j["summary"].is_object());
  EXPECT_EQ(j["summary"]["files"], j["files"].size());
  EXPECT_EQ(j["summary"]["findings"], j["findings"].size());
  EXPECT_TRUE(j["summary"]["seconds"].is_number());
  EXPECT_GE(j["summary"]["seconds"].get<double>(), 0.0);
  EXPECT_TRUE(r.err.find("broken.py") != std::string::npos) << "the partial file is reported on stderr";
}

TEST(CliJson, PathsAreRelativeToTheCommonRoot) {
  TempDir d;
  write_file(d / "a" / "x.py", kClean);
  write_file(d / "b" / "c" / "y.py", kClean);
  json two = parse(archscan("scan " + q(d / "a") + " " + q(d / "b") + " --no-db --format json").out);
  EXPECT_EQ(file_paths(two), (std::vector<std::string>{"a/x.py", "b/c/y.py"}));
  json one = parse(archscan("scan " + q(d / "b" / "c" / "y.py") + " --no-db --format json").out);
  EXPECT_EQ(file_paths(one), (std::vector<std::string>{"y.py"}));
  json rel = parse(archscan("scan . --no-db --format json", (d / "b").string()).out);
  EXPECT_EQ(file_paths(rel), (std::vector<std::string>{"c/y.py"}));
}

TEST(CliText, RuffLikeLinesWithTheSourceLine) {
  TempDir d;
  write_file(d / "model.py", kEvalModel);
  CliRun r = archscan("scan " + q(d.path()) + " --no-db --select CE001");
  ASSERT_EQ(r.code, 1) << r.err;
  std::istringstream in(r.out);
  std::string first_line, second_line;
  std::getline(in, first_line);
  std::getline(in, second_line);
  EXPECT_TRUE(std::regex_match(first_line, std::regex(R"(model\.py:11:9: CE001 \[error\] .+)"))) << first_line;
  EXPECT_NE(second_line.find("eval(\"print(1)\")"), std::string::npos) << second_line;
  EXPECT_NE(second_line.find("11"), std::string::npos) << second_line;
  EXPECT_NE(r.out.find("Found 1 finding "), std::string::npos) << r.out;
}

TEST(CliOptions, ExcludeGlobs) {
  TempDir d;
  write_file(d / "keep.py", kClean);
  write_file(d / "gen_model.py", kEvalModel);
  write_file(d / "third_party" / "lib.py", kEvalModel);
  write_file(d / "pkg" / "tests" / "test_x.py", kEvalModel);
  write_file(d / ".git" / "hooks.py", kEvalModel);      // always skipped
  write_file(d / "__pycache__" / "c.py", kEvalModel);  // always skipped
  std::string base = "scan " + q(d.path()) + " --no-db --format json";
  json all = parse(archscan(base).out);
  EXPECT_EQ(file_paths(all),
            (std::vector<std::string>{"gen_model.py", "keep.py", "pkg/tests/test_x.py", "third_party/lib.py"}));
  json ex = parse(archscan(base + " --exclude third_party --exclude 'gen_*.py' --exclude 'pkg/tests/*'").out);
  EXPECT_EQ(file_paths(ex), (std::vector<std::string>{"keep.py"}));
  EXPECT_EQ(archscan(base + " --exclude third_party --exclude 'gen_*.py' --exclude 'pkg/tests/*'").code, 0);
  json trailing = parse(archscan(base + " --exclude third_party/ --exclude 'test_*.py' --exclude gen_model.py").out);
  EXPECT_EQ(file_paths(trailing), (std::vector<std::string>{"keep.py"}));
}

TEST(CliOptions, JobsGiveTheSameResult) {
  TempDir d;
  for (int i = 0; i < 12; ++i) {
    write_file(d / ("m" + std::to_string(i) + ".py"), i % 3 == 0 ? kEvalModel : kLookalike);
    write_file(d / "sub" / ("c" + std::to_string(i) + ".py"), kClean);
  }
  std::string base = "scan " + q(d.path()) + " --no-db --format json";
  CliRun one = archscan(base + " -j 1");
  CliRun four = archscan(base + " --jobs 4");
  CliRun dflt = archscan(base);
  ASSERT_EQ(one.code, 1);
  EXPECT_EQ(four.code, 1);
  EXPECT_EQ(dflt.code, 1);
  json a = parse(one.out), b = parse(four.out), c = parse(dflt.out);
  EXPECT_EQ(a["files"], b["files"]);
  EXPECT_EQ(a["findings"], b["findings"]);
  EXPECT_EQ(a["findings"], c["findings"]);
  EXPECT_EQ(a["summary"]["files"], 24);
}

TEST(CliOptions, OutputWritesTheReportToAFile) {
  TempDir d;
  write_file(d / "src" / "model.py", kEvalModel);
  fs::path out = d / "report.json";
  CliRun r = archscan("scan " + q(d / "src") + " --no-db --format json --output " + q(out));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << "nothing on stdout: " << r.out;
  json j = parse(read_file(out));
  EXPECT_EQ(j["tool"]["name"], "archscan");
  EXPECT_EQ(file_paths(j), (std::vector<std::string>{"model.py"}));
  fs::path txt = d / "report.txt";
  CliRun t = archscan("scan " + q(d / "src") + " --no-db -o " + q(txt));
  EXPECT_EQ(t.code, 1);
  EXPECT_NE(read_file(txt).find("model.py:11:9: CE001"), std::string::npos) << read_file(txt);
}

// ---------------------------------------------------------------------------------------------
// rules, rule ID, ir

TEST(CliRules, ListsEveryRuleAndExplainsOne) {
  CliRun r = archscan("rules");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* id : {"BB004", "CE001", "CN001"})
    EXPECT_TRUE(std::regex_search(r.out, std::regex(std::string("(^|\n)") + id + " +(error|warning|note) ")))
        << id << "\n" << r.out;
  CliRun j = archscan("rules --format json");
  ASSERT_EQ(j.code, 0);
  json rules = parse(j.out);
  ASSERT_TRUE(rules.is_array());
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    for (const char* k : {"id", "name", "severity", "summary"}) EXPECT_TRUE(rule.contains(k)) << rule.dump();
    ids.insert(rule["id"]);
  }
  EXPECT_TRUE(ids.count("CE001"));

  CliRun doc = archscan("rule CE001");
  ASSERT_EQ(doc.code, 0) << doc.err;
  EXPECT_EQ(doc.out.rfind("# CE001", 0), 0u) << doc.out.substr(0, 200);
  EXPECT_NE(doc.out.find("## Bad"), std::string::npos);
  CliRun by_name = archscan("rule code-execution-in-model");
  EXPECT_EQ(by_name.code, 0);
  EXPECT_EQ(by_name.out, doc.out);
  CliRun missing = archscan("rule XX999");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("XX999"), std::string::npos);
}

TEST(CliIr, PrintsModulesLayersAndDataflow) {
  TempDir d;
  write_file(d / "model.py", kEvalModel);
  CliRun r = archscan("ir " + q(d / "model.py"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("file model.py (python, ok)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("module model.Net [nn.Module]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("attr fc: layer Linear learned"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("function model.Net.forward(self, x)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("= linear 'fc'(%1) [learned]"), std::string::npos) << r.out;
  // A partial file prints too, with its diagnostic; a missing one is an error.
  write_file(d / "broken.py", "def f(:\n");
  CliRun b = archscan("ir " + q(d / "broken.py"));
  EXPECT_EQ(b.code, 0);
  EXPECT_NE(b.out.find("(python, partial: syntax error"), std::string::npos) << b.out;
  CliRun m = archscan("ir " + q(d / "missing.py"));
  EXPECT_EQ(m.code, 2);
  EXPECT_NE(m.err.find("missing.py"), std::string::npos);
}

}  // namespace
}  // namespace archscan::unit
