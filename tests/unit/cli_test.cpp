// The command line end to end (the archscan binary as a subprocess): exit codes, the JSON shape of
// issue 2, --exclude, -j, --output, `rules`, `rule ID` and `ir`; no silent "clean" (unknown rules,
// skipped files, C++ flags, nothing to scan), the database and paths, Ruff's and Semgrep's habits
// (--quiet, --statistics, --color, configuration files, stdin), and every command of the README.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
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
      "",                                       // no subcommand
      "frobnicate",                             // unknown subcommand
      "scan",                                   // no path
      "scan " + dir + " --no-db --bogus-flag",  // unknown option
      "scan " + dir + " --no-db --format xml",  // unknown format
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
  EXPECT_EQ(keys(json(by_path)),
            (std::set<std::string>{"broken.py", "clean.py", "look.py", "models/model.py", "models/trigger.py"}));
  EXPECT_EQ(by_path["broken.py"]["status"], "partial");
  EXPECT_NE(by_path["broken.py"]["message"].get<std::string>().find("syntax error"), std::string::npos);

  ASSERT_TRUE(j["findings"].is_array());
  ASSERT_GE(j["findings"].size(), 2u);
  const std::regex taxonomy("T([1-9]|1[0-2])");
  const std::set<std::string> severities{"error", "warning", "note"};
  std::set<std::string> rules;
  for (const auto& f : j["findings"]) {
    SCOPED_TRACE(f.dump());
    for (const char* k :
         {"rule", "taxonomy", "severity", "path", "line", "column", "end_line", "message", "fingerprint", "trace"})
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
  CliRun r = archscan("scan . --no-db --select CE001", d.str());
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
  write_file(d / ".git" / "hooks.py", kEvalModel);     // always skipped
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
        << id << "\n"
        << r.out;
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

// ---------------------------------------------------------------------------------------------
// No silent "clean"

size_t count_of(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

TEST(CliSelect, UnknownRulesAreAnErrorAndCaseDoesNotMatter) {
  TempDir d;
  write_file(d / "look.py", kLookalike);
  write_file(d / "model.py", kEvalModel);
  std::string base = "scan " + q(d.path()) + " --no-db";
  for (const char* bad : {" --select NOPE999", " --ignore NOPE999", " --select CN0O1", " --select ''"}) {
    CliRun r = archscan(base + bad);
    EXPECT_EQ(r.code, 2) << bad << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("no rule"), std::string::npos) << r.err;
  }
  json lower = parse(archscan(base + " --format json --select cn001").out);
  ASSERT_EQ(lower["findings"].size(), 1u) << lower.dump();
  EXPECT_EQ(lower["findings"][0]["rule"], "CN001");
  json prefix = parse(archscan(base + " --format json --select ce").out);
  ASSERT_EQ(prefix["findings"].size(), 1u);
  EXPECT_EQ(prefix["findings"][0]["rule"], "CE001");
  EXPECT_EQ(archscan(base + " --select code-execution-in-model").code, 1);
  EXPECT_EQ(archscan(base + " --select CE001 --ignore ce001").code, 0) << "--ignore is case-insensitive too";
}

TEST(CliSkipped, NamedInTheSummaryAndJsonAndFailOnSkipped) {
  TempDir d;
  write_file(d / "clean.py", kClean);
  write_file(d / "kernels" / "attn.cu", "__global__ void k() {}\n");
  write_file(d / "notebook.ipynb", "{}\n");
  write_file(d / "fast.pyx", "def f(x):\n    return x\n");
  write_file(d / "big.py", std::string(4096, '#') + "\n");
  write_file(d / "README.md", "not model code\n");  // not model source: not listed
  std::string base = "scan . --no-db --max-file-size 0.001";
  CliRun text = archscan(base, d.str());
  EXPECT_EQ(text.code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("Found 0 findings (0 error, 0 warning, 0 note) in 1 file; 4 files not analysed: big.py, "
                          "fast.pyx, kernels/attn.cu, notebook.ipynb"),
            std::string::npos)
      << text.out;
  json j = parse(archscan(base + " --format json", d.str()).out);
  std::map<std::string, std::string> reasons;
  for (const auto& f : j["summary"]["skipped_files"]) reasons[f["path"]] = f["reason"];
  ASSERT_EQ(reasons.size(), 4u) << j["summary"].dump();
  EXPECT_NE(reasons["big.py"].find("--max-file-size"), std::string::npos);
  EXPECT_NE(reasons["kernels/attn.cu"].find("unsupported file type"), std::string::npos);
  EXPECT_EQ(archscan(base + " --fail-on-skipped", d.str()).code, 1);
  write_file(d / "archscan.toml", "fail-on-skipped = true\n");
  EXPECT_EQ(archscan(base, d.str()).code, 1) << "from the configuration";
}

TEST(CliSkipped, NothingToScanWarns) {
  TempDir d;
  fs::create_directories(d / "empty");
  write_file(d / "docs" / "README.md", "# docs\n");
  for (const char* sub : {"empty", "docs"}) {
    CliRun r = archscan("scan " + q(d / sub) + " --no-db");
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.err.find("warning: no model source analysed in"), std::string::npos) << sub << ": " << r.err;
  }
  write_file(d / "m.py", kClean);
  EXPECT_TRUE(archscan("scan " + q(d / "m.py") + " --no-db").err.empty());
}

TEST(CliCpp, FlagsAfterDashDashAddToTheDefaults) {
  TempDir d;
  write_file(d / "net.cpp",
             "#include <torch/torch.h>\n#ifndef EXTRA\n#error EXTRA not defined\n#endif\n"
             "struct NetImpl : torch::nn::Module {\n  torch::Tensor forward(torch::Tensor x) { return x * 2; }\n};\n");
  // -DEXTRA alone would have replaced -std and the LibTorch include paths: torch.h not found.
  CliRun r = archscan("scan " + q(d.path()) + " --no-db --format json -- -DEXTRA", "", 300);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  json j = parse(r.out);
  ASSERT_EQ(j["files"].size(), 1u);
  EXPECT_EQ(j["files"][0]["mode"], "semantic") << j["files"].dump();
}

TEST(CliCpp, SyntaxOnlyFallbackIsSaidInText) {
  TempDir d;
  write_file(d / "net.cpp", "#include <no_such_lib/no_such_header.h>\nint f(int x) { return x + 1; }\n");
  CliRun r = archscan("scan . --no-db", d.str(), 300);
  EXPECT_NE(r.out.find("net.cpp: note: "), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("headers not found"), std::string::npos) << r.out;
  // Forced to the syntactic path, the text output says that too.
  CliRun s = archscan("scan . --no-db", d.str(), 300, "ARCHSCAN_CPP_MODE=syntactic");
  EXPECT_NE(s.out.find("net.cpp: note: "), std::string::npos) << s.out << s.err;
}

TEST(CliCpp, BadCompileCommandsAreAnError) {
  TempDir d;
  write_file(d / "net.cpp", "int f() { return 1; }\n");
  fs::create_directories(d / "nodb");
  write_file(d / "bad" / "compile_commands.json", "[{\"file\": \"net.cpp\"");
  write_file(d / "obj" / "compile_commands.json", "{\"file\": \"net.cpp\"}");
  for (const char* dir : {"nodb", "bad", "obj", "missing"}) {
    CliRun r = archscan("scan " + q(d / "net.cpp") + " --no-db -p " + q(d / dir));
    EXPECT_EQ(r.code, 2) << dir << ": " << r.out << r.err;
    EXPECT_NE(r.err.find((d / dir).string()), std::string::npos) << r.err;
  }
  write_file(d / "good" / "compile_commands.json",
             "[{\"directory\": \"" + d.str() + "\", \"file\": \"net.cpp\", \"command\": \"c++ -c net.cpp\"}]");
  EXPECT_EQ(archscan("scan " + q(d / "net.cpp") + " --no-db -p " + q(d / "good"), "", 300).code, 0);
}

// ---------------------------------------------------------------------------------------------
// The database and paths

TEST(CliDb, UnwritableTreeIsScannedWithoutTheDatabase) {
  TempDir d;
  write_file(d / "m" / "model.py", kEvalModel);
  write_file(d / "m" / ".archscan", "a file where the database directory would go\n");
  CliRun r = archscan("scan " + q(d / "m"));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("CE001"), std::string::npos) << "scanned all the same";
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_NE(r.err.find("warning: cannot keep the findings database"), std::string::npos) << r.err;
}

TEST(CliDb, MistypedPathCreatesNothing) {
  TempDir d;
  write_file(d / "models" / "model.py", kEvalModel);
  CliRun r = archscan("scan modles", d.str());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("modles"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d / ".archscan"));
  EXPECT_FALSE(fs::exists(d / "modles"));
  CliRun some = archscan("scan models modles", d.str());
  EXPECT_EQ(some.code, 2);
  EXPECT_NE(some.out.find("CE001"), std::string::npos) << "the existing path is still scanned";
  EXPECT_FALSE(fs::exists(d / ".archscan")) << "an incomplete run is not recorded";
}

TEST(CliDb, FindingsAndReportFindTheDatabaseOfTheRoot) {
  TempDir d;
  write_file(d / "repo" / "model.py", kEvalModel);
  fs::create_directories(d / "elsewhere");
  ASSERT_EQ(archscan("scan " + q(d / "repo")).code, 1);
  ASSERT_TRUE(fs::exists(d / "repo" / ".archscan" / "archscan.db"));
  CliRun f = archscan("findings --root " + q(d / "repo"), (d / "elsewhere").string());
  EXPECT_EQ(f.code, 0) << f.err;
  EXPECT_NE(f.out.find("CE001"), std::string::npos) << f.out;
  EXPECT_NE(f.out.find("1 finding\n"), std::string::npos) << f.out;
  CliRun rep = archscan("report --root ../repo -o " + q(d / "r.html"), (d / "elsewhere").string());
  EXPECT_EQ(rep.code, 0) << rep.err;
  EXPECT_NE(rep.err.find("(1 finding of run"), std::string::npos) << rep.err;
  // A configured database is found by the scan and by `findings` alike.
  write_file(d / "cfg" / "archscan.toml", "db = \"state/findings.db\"\n");
  write_file(d / "cfg" / "src" / "model.py", kEvalModel);
  EXPECT_EQ(archscan("scan src", (d / "cfg").string()).code, 1);
  EXPECT_TRUE(fs::exists(d / "cfg" / "state" / "findings.db"));
  EXPECT_NE(archscan("findings", (d / "cfg").string()).out.find("CE001"), std::string::npos);
}

TEST(CliPaths, TextAndGithubRelativeToTheCurrentDirectorySarifToTheRoot) {
  TempDir d;
  write_file(d / "repo" / "pkg" / "model.py", kEvalModel);
  unsetenv("GITHUB_WORKSPACE");
  std::string base = "scan repo/pkg --no-db --select CE001";
  CliRun text = archscan(base, d.str());
  EXPECT_EQ(text.out.rfind("repo/pkg/model.py:11:9: CE001", 0), 0u) << text.out;
  CliRun gh = archscan(base + " --format github", d.str());
  EXPECT_NE(gh.out.find("file=repo/pkg/model.py,line=11"), std::string::npos) << gh.out;
  fs::create_directories(d / "elsewhere");
  CliRun up = archscan("scan ../repo/pkg --no-db --select CE001", (d / "elsewhere").string());
  EXPECT_NE(up.out.find((d / "repo" / "pkg" / "model.py").string() + ":11:9:"), std::string::npos)
      << "outside the current directory: absolute\n"
      << up.out;
  json sarif = parse(archscan(base + " --format sarif", d.str()).out);
  const json& run = sarif["runs"][0];
  const json& loc = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(loc["uri"], "model.py");
  EXPECT_EQ(loc["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + (d / "repo" / "pkg").string() + "/");
}

// ---------------------------------------------------------------------------------------------
// Habits from Ruff and Semgrep

TEST(CliHabits, QuietStatisticsAndColor) {
  TempDir d;
  write_file(d / "a.py", kEvalModel);
  write_file(d / "b.py", kEvalModel);
  write_file(d / "look.py", kLookalike);
  std::string base = "scan . --no-db --select CE001 --select CN001";
  CliRun quiet = archscan(base + " --quiet", d.str());
  EXPECT_EQ(quiet.code, 1);
  EXPECT_EQ(quiet.out.find("Found "), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find("a.py:11:9: CE001"), std::string::npos);
  CliRun stats = archscan(base + " --statistics", d.str());
  EXPECT_EQ(stats.code, 1);
  EXPECT_TRUE(std::regex_search(stats.out, std::regex("(^|\n) +2\tCE001 *\t\\[error\\] code-execution-in-model\n")))
      << stats.out;
  EXPECT_TRUE(std::regex_search(stats.out, std::regex("\n +1\tCN001 ")));
  EXPECT_EQ(stats.out.find("a.py:11:9"), std::string::npos) << "counts instead of the findings";
  EXPECT_EQ(archscan(base + " --statistics --format json", d.str()).code, 2);
  EXPECT_NE(archscan(base + " --color always", d.str()).out.find("\x1b["), std::string::npos);
  EXPECT_EQ(archscan(base + " --color never", d.str()).out.find("\x1b["), std::string::npos);
  EXPECT_EQ(archscan(base, d.str()).out.find("\x1b["), std::string::npos) << "auto: stdout is a pipe";
  EXPECT_EQ(archscan(base + " --color sometimes", d.str()).code, 2);
  // Not a terminal: no progress line.
  EXPECT_EQ(archscan(base, d.str()).err.find('\r'), std::string::npos);
}

TEST(CliHabits, ConfigurationFilesAndTheCommandLineWins) {
  TempDir d;
  write_file(d / "proj" / "src" / "model.py", kEvalModel);
  write_file(d / "proj" / "src" / "look.py", kLookalike);
  write_file(d / "proj" / "pyproject.toml", "[project]\nname = \"x\"\n\n[tool.archscan]\nselect = [\"cn001\"]\n");
  std::string scan = "scan " + q(d / "proj" / "src") + " --no-db --format json";
  json j = parse(archscan(scan).out);
  ASSERT_EQ(j["findings"].size(), 1u) << j.dump();
  EXPECT_EQ(j["findings"][0]["rule"], "CN001");
  json cli = parse(archscan(scan + " --select CE001").out);
  ASSERT_EQ(cli["findings"].size(), 1u);
  EXPECT_EQ(cli["findings"][0]["rule"], "CE001") << "the command line wins";
  write_file(d / "proj" / "archscan.toml",
             "ignore = [\"CE001\", \"CN001\"]\nfail-on = \"none\"\nexclude = [\"gen_*\"]\n");
  EXPECT_EQ(archscan(scan).code, 0) << "archscan.toml before pyproject.toml";
  EXPECT_EQ(archscan(scan + " --fail-on warning --ignore BB").code, 1);
  write_file(d / "proj" / "archscan.toml", "selct = [\"CE001\"]\n");
  CliRun typo = archscan(scan);
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("archscan.toml:1: unknown key 'selct'"), std::string::npos) << typo.err;
  write_file(d / "proj" / "archscan.toml", "select = [\"CE001\"\n");
  CliRun bad = archscan(scan);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find((d / "proj" / "archscan.toml").string() + ":"), std::string::npos) << bad.err;
  write_file(d / "proj" / "archscan.toml", "select = [\"NOPE\"]\n");
  EXPECT_EQ(archscan(scan).code, 2) << "configured ids are checked too";
}

TEST(CliHabits, StdinWithAFileName) {
  TempDir d;
  write_file(d / "buffer.py", kEvalModel);
  CliRun r = archscan("scan - --stdin-filename models/net.py --select CE001 < " + q(d / "buffer.py"), d.str());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("models/net.py:11:9: CE001", 0), 0u) << r.out;
  EXPECT_FALSE(fs::exists(d / "models")) << "nothing written for the buffer";
  EXPECT_FALSE(fs::exists(d / ".archscan"));
  CliRun plain = archscan("scan - --format json < " + q(d / "buffer.py"), d.str());
  EXPECT_EQ(plain.code, 1);
  EXPECT_EQ(file_paths(parse(plain.out)), (std::vector<std::string>{"stdin.py"}));
  EXPECT_EQ(archscan("scan - . < " + q(d / "buffer.py"), d.str()).code, 2);
}

// ---------------------------------------------------------------------------------------------
// Small things

TEST(CliSmall, ExplainPrintsEachFindingOnce) {
  TempDir d;
  write_file(d / "model.py", kTrigger);
  CliRun r = archscan("scan . --no-db --explain", d.str());
  ASSERT_EQ(r.code, 1) << r.err;
  std::regex head("(^|\n)model\\.py:(\\d+):(\\d+): (BD001)[^\n]*");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, head)) << r.out;
  EXPECT_EQ(count_of(r.out, m.str(0).substr(m.str(1).size())), 1u) << r.out;
  EXPECT_NE(r.out.find("    "), std::string::npos) << "the trace under it";
}

TEST(CliSmall, UnknownFormatsAndCommands) {
  EXPECT_EQ(archscan("rules --format sarif").code, 2);
  EXPECT_EQ(archscan("rules --format json").code, 0);
  TempDir d;
  write_file(d / "m.py", std::string(kEvalModel) + "");
  EXPECT_EQ(archscan("eval " + q(d.path()) + " --format xml").code, 2);
  CliRun cmd = archscan("sacn .");
  EXPECT_EQ(cmd.code, 2);
  EXPECT_NE(cmd.err.find("unknown command 'sacn'"), std::string::npos) << cmd.err;
  EXPECT_NE(cmd.err.find("scan"), std::string::npos) << cmd.err;
  CliRun help = archscan("scan --help");
  for (const char* f : {"html", "sarif", "github", "json", "text", "--statistics", "--stdin-filename"})
    EXPECT_NE(help.out.find(f), std::string::npos) << f;
  write_file(d / "README.md", "# hi\n");
  CliRun ir = archscan("ir " + q(d / "README.md"));
  EXPECT_EQ(ir.out.find("skipped: skipped"), std::string::npos) << ir.out;
  EXPECT_NE(ir.out.find("skipped: unsupported file type"), std::string::npos) << ir.out;
}

// Every command of the README's "Use" section runs on a small tree: exit 0 or 1, never 2 or a crash.
TEST(CliReadme, EveryUseCommandRuns) {
  std::ifstream in(fs::path(ARCHSCAN_SOURCE_DIR) / "README.md");
  TempDir d;
  std::string labelled = kEvalModel;
  const std::string call = "eval(\"print(1)\")";
  labelled.insert(labelled.find(call) + call.size(), "  # expect: CE001");
  write_file(d / "repo" / "model.py", labelled);
  write_file(d / "repo" / "look.py", kLookalike);
  const std::vector<std::pair<std::string, std::string>> subst = {{"PATH...", "repo"},
                                                                  {"repo", "repo"},
                                                                  {"model.py", "repo/model.py"},
                                                                  {"corpus", "repo"},
                                                                  {"report.html", "report.html"},
                                                                  {"BD001", "BD001"}};
  bool in_use = false;
  int commands = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_use = line == "## Use";
    if (!in_use || line.rfind("    build/archscan ", 0) != 0) continue;
    std::string cmd = line.substr(4 + std::string("build/archscan ").size());
    cmd = cmd.substr(0, cmd.find(" #"));
    std::istringstream words(cmd);
    std::string args;
    for (std::string w; words >> w;) {
      for (const auto& [from, to] : subst)
        if (w == from) w = to;
      args += w + " ";
    }
    CliRun r = archscan(args, d.str());
    EXPECT_TRUE(r.code == 0 || r.code == 1) << "archscan " << args << " exited " << r.code << "\n" << r.out << r.err;
    ++commands;
  }
  EXPECT_GE(commands, 8) << "the README's Use section lists its commands as `    build/archscan ...`";
}

}  // namespace
}  // namespace archscan::unit

namespace archscan::unit {
namespace {

// `eval` prints the confusion matrix of labelled type x reported type (issue: "the type, exactly").
TEST(CliSmall, EvalConfusionMatrix) {
  TempDir d;
  std::string model = kTrigger;
  // Label the integration with a type, and a second line with nothing reported on it.
  model.replace(model.find("self.fc(x))\n"), 12, "self.fc(x))  # expect: T1\n");
  model.replace(model.find("        trigger ="), 0, "        unused = x  # expect: T5\n");
  write_file(d / "model.py", model);
  CliRun scan = archscan("scan . --no-db --format json", d.str());
  json findings = parse(scan.out);
  std::string reported;
  for (const auto& f : findings["findings"])
    if (f["rule"] == "BD001") reported = f["taxonomy"].get<std::string>();
  ASSERT_FALSE(reported.empty()) << scan.out;

  CliRun r = archscan("eval . --format json", d.str());
  json j = parse(r.out);
  EXPECT_EQ(j["confusion"]["T1"][reported], 1) << r.out;
  EXPECT_EQ(j["confusion"]["T5"]["-"], 1) << r.out;
  CliRun text = archscan("eval .", d.str());
  EXPECT_NE(text.out.find("expected\\found"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace archscan::unit
