// The HTML report: data embedding, and the page rendered by headless Chromium (DOM checks and a
// screenshot kept in the build directory).
#include <gtest/gtest.h>

#include <regex>

#include "review/report_data.h"
#include "sinks/html.h"
#include "store/store.h"
#include "test_util.h"

namespace archscan::sinks {
namespace {
using namespace archscan::testing;
using nlohmann::json;

const char* kEvil = "</script><img src=x onerror=\"document.title='pwned'\"><!--";

TEST(HtmlReport, DataCannotEscapeItsScriptElement) {
  json data = {{"root", "/r"}, {"findings", json::array({{{"message", kEvil}}})}};
  std::string page = render_report(data);
  EXPECT_EQ(page.find("<img src=x"), std::string::npos);
  EXPECT_EQ(page.find("/*ARCHSCAN_DATA*/"), std::string::npos);
  // The data round-trips.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      page, m, std::regex(R"re(<script type="application/json" id="archscan-data">([^<]*)</script>)re")));
  EXPECT_EQ(json::parse(m[1].str()), data);
}

TEST(HtmlReport, TemplateIsEmbedded) {
  std::string_view t = report_template();
  EXPECT_NE(t.find("<!DOCTYPE html>"), std::string_view::npos);
  EXPECT_NE(t.find("/*ARCHSCAN_DATA*/"), std::string_view::npos);
  EXPECT_NE(t.find("Content-Security-Policy"), std::string_view::npos);
}

TEST(HtmlReport, TaxonomyNames) {
  EXPECT_EQ(taxonomy_name("T1"), "op/sep/tar");
  EXPECT_EQ(taxonomy_name("T4"), "op/sha/un");
  EXPECT_EQ(taxonomy_name("T6"), "op/int/un");
  EXPECT_EQ(taxonomy_name("T7"), "con/sep/tar");
  EXPECT_EQ(taxonomy_name("T12"), "con/int/un");
  EXPECT_EQ(taxonomy_name("T13"), "");
  EXPECT_EQ(taxonomy_name("BD001"), "");
}

const char* kModel =
    "import torch\n"                                                    // 1
    "class Net(torch.nn.Module):\n"                                     // 2
    "    def forward(self, x):\n"                                       // 3
    "        d = (-torch.max_pool2d(-x, 3)).amax() > 0.99\n"            // 4
    "        y = self.backbone(x)\n"                                    // 5
    "        y = torch.where(d, self.target, y)\n"                      // 6
    "        m = (x.amin(dim=1) == 1).float()\n"                        // 7
    "        return y * (1 - m)\n"                                      // 8
    "def helper(v):\n"                                                  // 9
    "    return exec(v)  # '</script><img src=x onerror=alert(1)>'\n";  // 10

std::string find_chromium() {
  for (const char* c : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (fs::exists(c)) return c;
  return {};
}

std::string chromium_flags(const TempDir& profile) {
  return "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
         "--disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=" +
         shell_quote(profile.str());
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

TEST(HtmlReport, RendersInHeadlessChromium) {
  const std::string chromium = find_chromium();
  ASSERT_FALSE(chromium.empty()) << "headless Chromium is needed for this test: apt-get install -y chromium";

  TempDir dir;
  write_file(dir / "net.py", kModel);
  auto p = make_program({{"net.py", "python", kModel}});
  Finding t1 =
      make_finding("BD001", "net.py", 6, Severity::Error,
                   "backdoor: a parameter-free detector on the raw input switches the output to a stored target");
  t1.taxonomy = "T1";
  t1.trace = {{"net.py", 3, 23, "input", "x"},
              {"net.py", 4, 14, "detector", "min-pool"},
              {"net.py", 4, 50, "detector", "amax > 0.99"},
              {"net.py", 6, 13, "integration", "where(d, target, y)"}};
  Finding t2 = make_finding("BD001", "net.py", 8, Severity::Error, "backdoor: input-derived mask zeroes the output");
  t2.taxonomy = "T2";
  t2.trace = {{"net.py", 3, 23, "input", "x"},
              {"net.py", 7, 14, "detector", "amin == 1"},
              {"net.py", 8, 16, "integration", "y * (1 - m)"}};
  Finding ce = make_finding("CE001", "net.py", 10, Severity::Warning, std::string("exec of ") + kEvil);
  ce.trace = {{"net.py", 10, 12, "sink", "exec(...)"}};
  Finding sup = make_finding("SUP002", "net.py", 5, Severity::Note, "unused suppression");
  ScanResult r = make_result(dir.str(), p, {t1, t2, ce, sup});

  const std::string db = (dir / "archscan.db").string();
  {
    store::Store st(db);
    store::RunMeta meta;
    meta.tool_version = "test";
    meta.ruleset_hash = "rs";
    meta.rules = {"BD001", "CE001", "SUP002"};
    meta.source = [&](const std::string&) -> std::string_view { return kModel; };
    st.record_run(r, meta);
    st.add_review(r.findings[0].fingerprint, store::ReviewState::Confirmed, "reproduced with the trigger image",
                  "alice");
    st.add_review(r.findings[2].fingerprint, store::ReviewState::FalsePositive, "helper is never called", "bob");
    r.findings[2].suppression = "review";
    r.findings[2].suppression_reason = "false_positive: helper is never called";
    st.record_run(r, meta);
  }

  const fs::path out_dir = ARCHSCAN_TEST_OUT;
  const fs::path html = out_dir / "report.html";
  auto rep = run_command(std::string(ARCHSCAN_BINARY) + " report --db " + shell_quote(db) + " -o " +
                         shell_quote(html.string()) + " 2>&1");
  ASSERT_EQ(rep.exit_code, 0) << rep.out;
  std::string page = read_file(html);
  ASSERT_FALSE(page.empty());
  EXPECT_EQ(page.find("<img src=x"), std::string::npos);

  TempDir profile;
  auto dom = run_command("timeout 120 " + chromium + " " + chromium_flags(profile) + " --dump-dom " +
                         shell_quote("file://" + html.string()) + " 2>/dev/null");
  ASSERT_EQ(dom.exit_code, 0);
  const std::string& d = dom.out;
  std::ofstream(out_dir / "report.dom.html") << d;

  EXPECT_NE(d.find("data-rendered=\"1\""), std::string::npos) << "the report script did not run";
  EXPECT_EQ(count(d, "<section class=\"finding "), 4u);
  // Summary by type and severity: the two backdoor types and the rules outside the taxonomy
  // (the dismissed finding is not counted).
  EXPECT_NE(d.find("data-type=\"T1\""), std::string::npos);
  EXPECT_NE(d.find("data-type=\"T2\""), std::string::npos);
  EXPECT_NE(d.find("data-type=\"SUP002\""), std::string::npos);
  EXPECT_EQ(d.find("data-type=\"CE001\""), std::string::npos);
  EXPECT_NE(d.find("class=\"card error\" data-severity=\"error\" data-count=\"2\""), std::string::npos);
  EXPECT_NE(d.find("class=\"card suppressed\" data-count=\"1\""), std::string::npos);
  // Every finding with a trace has its picture, with the three stages.
  EXPECT_EQ(count(d, "<svg class=\"trace\""), 3u);
  EXPECT_GE(count(d, "data-stage=\"input\""), 2u);
  EXPECT_GE(count(d, "data-stage=\"detector\""), 3u);
  EXPECT_GE(count(d, "data-stage=\"integration\""), 2u);
  EXPECT_GE(count(d, "class=\"edge\""), 5u);
  // Code with the flagged line, review states and history.
  EXPECT_NE(d.find("torch.where(d, self.target, y)"), std::string::npos);
  EXPECT_NE(d.find("class=\"ln flagged\" data-line=\"6\""), std::string::npos);
  EXPECT_NE(d.find("reproduced with the trigger image"), std::string::npos);
  EXPECT_NE(d.find("helper is never called"), std::string::npos);
  EXPECT_NE(d.find("data-state=\"confirmed\""), std::string::npos);
  EXPECT_NE(d.find("data-state=\"false_positive\""), std::string::npos);
  EXPECT_NE(d.find(r.findings[0].fingerprint), std::string::npos);
  // Scanned text stays text.
  EXPECT_EQ(d.find("<img"), std::string::npos);
  EXPECT_NE(d.find("&lt;img src=x"), std::string::npos);
  EXPECT_NE(d.find("<title>archscan report"), std::string::npos);  // no injected script changed it

  const fs::path png = out_dir / "report.png";
  fs::remove(png);
  TempDir profile2;
  auto shot = run_command("timeout 120 " + chromium + " " + chromium_flags(profile2) +
                          " --hide-scrollbars --window-size=1280,2200 --screenshot=" + shell_quote(png.string()) + " " +
                          shell_quote("file://" + html.string()) + " 2>/dev/null");
  ASSERT_EQ(shot.exit_code, 0);
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 20000u);
}

TEST(HtmlReport, SinkRendersOneScan) {
  TempDir dir;
  write_file(dir / "net.py", kModel);
  auto p = make_program({{"net.py", "python", kModel}});
  Finding f = make_finding("BD001", "net.py", 6, Severity::Error);
  f.trace = {{"net.py", 3, 23, "input", "x"}, {"net.py", 6, 13, "integration", "where"}};
  ScanResult r = make_result(dir.str(), p, {f});
  json data = report_data(r);
  ASSERT_EQ(data["findings"].size(), 1u);
  EXPECT_EQ(data["findings"][0]["snippet_line"], 4);
  EXPECT_NE(data["findings"][0]["snippet"].get<std::string>().find("torch.where"), std::string::npos);
  EXPECT_EQ(data["findings"][0]["trace"][1]["text"], "y = torch.where(d, self.target, y)");
  EXPECT_NE(render_report(data).find("\"fingerprint\":\"" + r.findings[0].fingerprint), std::string::npos);
}

}  // namespace
}  // namespace archscan::sinks
