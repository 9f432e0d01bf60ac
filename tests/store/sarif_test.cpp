// SARIF output: structure for GitHub code scanning and validity against the 2.1.0 schema.
#include <gtest/gtest.h>

#include "findings/rule.h"
#include "sinks/sarif.h"
#include "test_util.h"

namespace archscan::sinks {
namespace {
using namespace archscan::testing;
using nlohmann::json;

const char* kModel =
    "class Net:\n"                               // 1
    "    def forward(self, x):\n"                // 2
    "        d = (x.amax() > 0.99).float()\n"    // 3
    "        ё = 1; y = torch.where(d, t, x)\n"  // 4  (non-ASCII before the flagged column)
    "        exec(A)\n"                          // 5
    "        return y\n";                        // 6

ScanResult sample(const std::string& root) {
  write_file(fs::path(root) / "m.py", kModel);
  auto p = make_program({{"m.py", "python", kModel}});
  Finding chain = make_finding("BD001", "m.py", 4, Severity::Error, "backdoor chain: input -> amax > 0.99 -> where");
  chain.taxonomy = "T1";
  chain.column = 27;  // byte column of `where`: 'ё' is two bytes
  chain.end_column = 32;
  chain.trace = {{"m.py", 2, 23, "input", "x"},
                 {"m.py", 3, 14, "detector", "amax > 0.99"},
                 {"m.py", 4, 22, "integration", "where(d, t, x)"}};
  Finding inl = make_finding("CE001", "m.py", 5, Severity::Error);
  inl.suppression = "inline";
  inl.suppression_reason = "prints a banner";
  Finding rev = make_finding("SUP002", "m.py", 6, Severity::Note);
  rev.suppression = "review";
  rev.suppression_reason = "false_positive: test";
  Finding unknown = make_finding("ZZ999", "m.py", 6, Severity::Warning);
  ScanResult r = make_result(root, p, {chain, inl, rev, unknown});
  r.files.push_back({"broken.py", "python", "error", "syntax error at line 3", "", ""});
  r.files.push_back({"<rule XX>", "", "error", "internal error in rule XX", "", ""});
  return r;
}

bool validate(const std::vector<std::string>& files, std::string* detail = nullptr) {
  std::string cmd = "/usr/bin/python3 " + shell_quote(ARCHSCAN_STORE_TEST_DIR "/validate_sarif.py") + " --multitool " +
                    shell_quote(ARCHSCAN_SARIF_MULTITOOL) + " --schema " + shell_quote(ARCHSCAN_SARIF_SCHEMA);
  for (const auto& f : files) cmd += " " + shell_quote(f);
  auto r = run_command(cmd + " 2>&1");
  if (detail) *detail = r.out;
  return r.exit_code == 0;
}

TEST(Sarif, ValidatesAgainstTheSchema) {
  ASSERT_TRUE(fs::exists(ARCHSCAN_SARIF_SCHEMA)) << ARCHSCAN_SARIF_SCHEMA;
  ASSERT_TRUE(fs::exists(ARCHSCAN_SARIF_MULTITOOL)) << ARCHSCAN_SARIF_MULTITOOL;
  TempDir dir;
  json log = sarif_log(sample(dir.str()));
  const std::string path = (dir / "out.sarif").string();
  std::ofstream(path) << log.dump(2);
  // An empty scan too.
  ScanResult empty;
  empty.root = dir.str();
  const std::string empty_path = (dir / "empty.sarif").string();
  std::ofstream(empty_path) << sarif_log(empty).dump(2);
  std::string detail;
  EXPECT_TRUE(validate({path, empty_path}, &detail)) << detail;
  // Keep a copy for inspection.
  fs::copy_file(path, fs::path(ARCHSCAN_TEST_OUT) / "sample.sarif", fs::copy_options::overwrite_existing);
}

TEST(Sarif, TheValidatorRejectsBrokenSarif) {
  TempDir dir;
  json log = sarif_log(sample(dir.str()));
  log["runs"][0]["results"][0]["level"] = "catastrophic";
  log["runs"][0]["results"][1].erase("message");
  const std::string path = (dir / "bad.sarif").string();
  std::ofstream(path) << log.dump();
  EXPECT_FALSE(validate({path}));
}

TEST(Sarif, RulesCarryDescriptionsHelpAndTags) {
  TempDir dir;
  json log = sarif_log(sample(dir.str()));
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "archscan");
  const json& rules = driver["rules"];
  ASSERT_GE(rules.size(), RuleRegistry::instance().rules().size());
  for (const json& rule : rules) {
    EXPECT_TRUE(rule.contains("shortDescription")) << rule["id"];
    EXPECT_TRUE(rule.contains("fullDescription")) << rule["id"];
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty()) << rule["id"];
    EXPECT_FALSE(rule["help"]["markdown"].get<std::string>().empty()) << rule["id"];
    EXPECT_TRUE(rule["properties"]["tags"].is_array()) << rule["id"];
  }
  // A registered rule with a doc page: its markdown is the doc.
  for (const json& rule : rules) {
    if (rule["id"] != "SUP001") continue;
    EXPECT_EQ(rule["name"], "malformed-suppression");
    EXPECT_EQ(rule["help"]["markdown"], rule_doc("SUP001"));
    EXPECT_NE(rule["fullDescription"]["text"].get<std::string>().find("archscan: ignore"), std::string::npos);
    EXPECT_EQ(rule["properties"]["tags"], json::array({"suppression"}));
  }
  // Result rule indexes point at their rules, including ids unknown to the registry.
  for (const json& res : log["runs"][0]["results"])
    EXPECT_EQ(rules[res["ruleIndex"].get<size_t>()]["id"], res["ruleId"]);
}

TEST(Sarif, ResultsHaveFingerprintsFlowsSuppressionsAndTaxonomy) {
  TempDir dir;
  ScanResult r = sample(dir.str());
  json log = sarif_log(r);
  const json& run = log["runs"][0];
  const json& results = run["results"];
  ASSERT_EQ(results.size(), 4u);

  const json& chain = results[0];
  EXPECT_EQ(chain["ruleId"], "BD001");
  EXPECT_EQ(chain["level"], "error");
  EXPECT_EQ(chain["partialFingerprints"]["primaryLocationLineHash"], r.findings[0].fingerprint);
  EXPECT_EQ(chain["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "m.py");
  EXPECT_EQ(chain["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  // UTF-16 columns: the two-byte 'ё' counts as one code unit.
  EXPECT_EQ(chain["locations"][0]["physicalLocation"]["region"]["startColumn"], 26);
  EXPECT_EQ(chain["locations"][0]["physicalLocation"]["region"]["endColumn"], 31);
  const json& flow = chain["codeFlows"][0]["threadFlows"][0]["locations"];
  ASSERT_EQ(flow.size(), 3u);
  EXPECT_EQ(flow[0]["properties"]["role"], "input");
  EXPECT_EQ(flow[2]["properties"]["role"], "integration");
  EXPECT_EQ(flow[2]["location"]["physicalLocation"]["region"]["startLine"], 4);
  EXPECT_EQ(chain["codeFlows"][0]["message"]["text"], "input -> detector -> integration");
  EXPECT_EQ(chain["properties"]["taxonomy"], "T1");
  EXPECT_EQ(chain["taxa"][0]["id"], "T1");
  EXPECT_EQ(run["taxonomies"][0]["taxa"][0]["name"], "op/sep/tar");
  EXPECT_EQ(run["taxonomies"][0]["taxa"].size(), 12u);
  EXPECT_TRUE(chain["suppressions"].empty());

  EXPECT_EQ(results[1]["suppressions"][0]["kind"], "inSource");
  EXPECT_EQ(results[1]["suppressions"][0]["justification"], "prints a banner");
  EXPECT_EQ(results[2]["suppressions"][0]["kind"], "external");
  EXPECT_EQ(results[2]["suppressions"][0]["status"], "accepted");

  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + dir.str() + "/");
  const json& notes = run["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0]["level"], "error");
  EXPECT_EQ(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "broken.py");
  EXPECT_FALSE(notes[1].contains("locations"));
}

TEST(Sarif, Helpers) {
  EXPECT_EQ(uri_encode_path("a b/c#d%.py"), "a%20b/c%23d%25.py");
  EXPECT_EQ(uri_encode_path("модель.py"), "%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C.py");
  EXPECT_EQ(utf16_column("abc", 3), 3);
  EXPECT_EQ(utf16_column("ёa", 3), 2);
  EXPECT_EQ(utf16_column("\xF0\x9F\x98\x80x", 5), 3);  // an emoji is a surrogate pair
  EXPECT_EQ(utf16_column("", 7), 7);                   // unknown text: unchanged
}

}  // namespace
}  // namespace archscan::sinks
