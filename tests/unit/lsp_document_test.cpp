// LSP positions (UTF-16 code units, any line break), incremental edits and the message framing.
#include <gtest/gtest.h>
#include <unistd.h>

#include "lsp/diagnostics.h"
#include "lsp/document.h"
#include "lsp/transport.h"

namespace archscan::lsp {
namespace {

TEST(LspDocument, OffsetsCountUtf16UnitsAndClampToTheLine) {
  const std::string text = "a = 1\r\nb = \"\xC3\xA9\xF0\x9F\x98\x80\" + c\rlast";
  EXPECT_EQ(byte_offset(text, 0, 0), 0u);
  EXPECT_EQ(byte_offset(text, 0, 99), 5u);  // clamped before "\r\n"
  EXPECT_EQ(byte_offset(text, 1, 0), 7u);
  // "é" is one UTF-16 unit (2 bytes), the emoji two units (4 bytes).
  EXPECT_EQ(byte_offset(text, 1, 6), 7u + 5 + 2);
  EXPECT_EQ(byte_offset(text, 1, 8), 7u + 5 + 2 + 4);
  EXPECT_EQ(byte_offset(text, 2, 2), text.size() - 2);  // after a lone "\r"
  EXPECT_EQ(byte_offset(text, 9, 0), text.size());
  EXPECT_EQ(line_text(text, 2), "b = \"\xC3\xA9\xF0\x9F\x98\x80\" + c");
  EXPECT_EQ(utf16_character(line_text(text, 2), 5 + 2 + 4 + 1), 8);
}

TEST(LspDocument, AppliesRangeAndWholeTextChanges) {
  std::string t = "def f(x):\n    return x * d\n";
  nlohmann::json range_edit = {{"range", {{"start", {{"line", 1}, {"character", 12}}},
                                          {"end", {{"line", 1}, {"character", 18}}}}},
                               {"text", ""}};
  ASSERT_TRUE(apply_change(t, range_edit));
  EXPECT_EQ(t, "def f(x):\n    return x\n");
  ASSERT_TRUE(apply_change(t, {{"text", "x = 2\n"}}));
  EXPECT_EQ(t, "x = 2\n");
  EXPECT_FALSE(apply_change(t, {{"range", 5}, {"text", "y"}}));
  EXPECT_FALSE(apply_change(t, {{"rangeLength", 1}}));
  EXPECT_EQ(t, "x = 2\n");
}

TEST(LspDocument, FileUris) {
  EXPECT_EQ(file_uri("/a b/c#d.py"), "file:///a%20b/c%23d.py");
  EXPECT_EQ(uri_path("file:///a%20b/./c.py"), "/a b/c.py");
  EXPECT_EQ(uri_path("file://localhost/x.py"), "/x.py");
  EXPECT_FALSE(uri_path("untitled:Untitled-1"));
  EXPECT_FALSE(uri_path("file://otherhost/x.py"));
}

// Reads every message from bytes written into a pipe.
std::vector<Incoming> read_all(const std::string& bytes) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  EXPECT_EQ(write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fds[1]);
  Reader r(fds[0], 64);
  std::vector<Incoming> out;
  for (;;) {
    out.push_back(r.next());
    if (out.back().kind == Incoming::Eof) break;
  }
  close(fds[0]);
  return out;
}

TEST(LspTransport, SurvivesBrokenFraming) {
  auto got = read_all(
      "Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"
      "Content-Length: x\r\n\r\n"                           // not a number
      "garbage\r\n\r\n"                                     // no Content-Length at all
      "Content-Length: 200\r\n\r\n" + std::string(200, 'z') +  // over the 64-byte limit: skipped
      "Content-Length: 3\r\n\r\n[1]"
      "\ncontent-length: 2\n\n{}"  // bare LF and lower case
      "Content-Length: 9\r\n\r\n{\"a\"");  // the input ends inside the body
  ASSERT_EQ(got.size(), 7u);
  EXPECT_EQ(got[0].kind, Incoming::Message);
  EXPECT_EQ(got[0].body, "{}");
  EXPECT_EQ(got[1].kind, Incoming::Garbage);
  EXPECT_NE(got[1].error.find("not a number"), std::string::npos);
  EXPECT_EQ(got[2].kind, Incoming::Garbage);
  EXPECT_EQ(got[3].kind, Incoming::Garbage);
  EXPECT_NE(got[3].error.find("over the limit"), std::string::npos);
  EXPECT_EQ(got[4].body, "[1]");
  EXPECT_EQ(got[5].kind, Incoming::Message);
  EXPECT_EQ(got[5].body, "{}");
  EXPECT_EQ(got[6].kind, Incoming::Eof);
}

}  // namespace
}  // namespace archscan::lsp
