// GitHub workflow-command annotations.
#include <gtest/gtest.h>

#include <sstream>

#include "sinks/github.h"
#include "test_util.h"

namespace archscan::sinks {
namespace {
using namespace archscan::testing;

// Paths outside the current directory (here /work/repo, never the test's directory) are absolute.
TEST(Github, Annotations) {
  auto p = make_program({{"m.py", "python", "a\nb\nc\n"}});
  Finding err = make_finding("BD001", "m.py", 2, Severity::Error, "chain: 50% of x,\nthen where");
  err.taxonomy = "T3";
  err.trace = {{"m.py", 1, 1, "input", "x"}};
  Finding note = make_finding("SUP002", "m.py", 3, Severity::Note, "unused");
  note.end_line = 4;
  Finding hidden = make_finding("CE001", "m.py", 1, Severity::Error);
  hidden.suppression = "inline";
  ScanResult r = make_result("/work/repo/models", p, {err, note, hidden});
  r.files.push_back({"bad.py", "python", "error", "syntax error", "", ""});
  std::ostringstream os;
  write_github(r, os, "");
  std::string out = os.str();
  std::istringstream lines(out);
  std::vector<std::string> v;
  for (std::string l; std::getline(lines, l);) v.push_back(l);
  ASSERT_EQ(v.size(), 3u) << out;
  EXPECT_EQ(v[0], "::warning file=/work/repo/models/bad.py,title=archscan%3A file error::bad.py: syntax error");
  EXPECT_EQ(
      v[1].rfind("::error file=/work/repo/models/m.py,line=2,endLine=2,col=5,endColumn=12,title=BD001 (T3)::chain: "
                 "50%25 of x,%0Athen where%0ATrace:%0A  /work/repo/models/m.py:1 input: x%0AFingerprint: ",
                 0),
      0u)
      << v[1];
  EXPECT_EQ(v[2].rfind("::notice file=/work/repo/models/m.py,line=3,endLine=4,title=SUP002::unused", 0), 0u) << v[2];
}

TEST(Github, PathsRelativeToTheWorkspace) {
  TempDir ws;
  fs::create_directories(ws / "sub/models");
  auto p = make_program({{"m.py", "python", "a\n"}});
  ScanResult r = make_result((ws / "sub/models").string(), p, {make_finding("BD001", "m.py", 1)});
  std::ostringstream os;
  write_github(r, os, ws.str());
  EXPECT_NE(os.str().find("file=sub/models/m.py,"), std::string::npos) << os.str();
  std::ostringstream outside;
  write_github(r, outside, "/nonexistent/elsewhere");
  // Outside the workspace: as text output shows it (relative to the current directory, else absolute).
  EXPECT_NE(outside.str().find("file=" + (ws / "sub/models/m.py").string() + ","), std::string::npos) << outside.str();
}

TEST(Github, Escaping) {
  EXPECT_EQ(github_escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
  EXPECT_EQ(github_escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
}

}  // namespace
}  // namespace archscan::sinks
