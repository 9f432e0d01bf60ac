// Bad inputs: each gives one diagnostic line on stderr, the scan goes on with the other files, and
// the exit code says what happened (2 when a file could not be read; partial and skipped files do
// not change it).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>

#include "unit_util.h"

namespace archscan::unit {
namespace {

using nlohmann::json;

// A model with a CE001 finding: proves the scan went on past the bad file.
const char* kModel = R"PY(import torch.nn as nn


class Net(nn.Module):
    def forward(self, x):
        eval("1")
        return x
)PY";

struct Outcome {
  CliRun run;
  json report;
  json file;  // the bad file's entry
  bool model_analysed = false;
};

// Scans a tree holding model.py and the bad input `name` (made by `make`), as JSON.
Outcome scan_with(const std::string& name, const std::function<void(const fs::path&)>& make,
                  const std::string& extra = "") {
  TempDir d;
  write_file(d / "model.py", kModel);
  make(d / name);
  Outcome o;
  o.run = archscan("scan " + shell_quote(d.str()) + " --no-db --format json " + extra);
  try {
    o.report = json::parse(o.run.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << name << ": output is not JSON: " << e.what() << "\n" << o.run.out.substr(0, 500) << o.run.err;
    return o;
  }
  bool model_ok = false, model_finding = false;
  for (const auto& f : o.report["files"]) {
    if (f["path"] == name) o.file = f;
    if (f["path"] == "model.py") model_ok = f["status"] == "ok";
  }
  for (const auto& f : o.report["findings"]) model_finding |= f["rule"] == "CE001" && f["path"] == "model.py";
  o.model_analysed = model_ok && model_finding;
  return o;
}

// The stderr of the scan is exactly one line, about `name`.
void expect_one_line(const Outcome& o, const std::string& name, const std::string& fragment) {
  auto lines = o.run.err_lines();
  ASSERT_EQ(lines.size(), 1u) << o.run.err;
  EXPECT_EQ(lines[0].rfind("archscan: " + name + ": ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find(fragment), std::string::npos) << lines[0];
  EXPECT_TRUE(o.file.contains("message"));
}

TEST(BadInput, SyntaxError) {
  Outcome o = scan_with("broken.py", [](const fs::path& p) {
    write_file(p, "import torch\ndef f(x):\n    return x +\n\ndef g(y):\n    return y\n");
  });
  EXPECT_EQ(o.run.code, 1) << "partial: the exit code is the findings'";
  EXPECT_EQ(o.file["status"], "partial");
  expect_one_line(o, "broken.py", "syntax error at 3:");
  EXPECT_TRUE(o.model_analysed);
}

TEST(BadInput, EmptyFileIsAValidModule) {
  // An empty .py is valid Python (every empty __init__.py): analysed, nothing to say.
  Outcome o = scan_with("empty.py", [](const fs::path& p) { write_file(p, ""); });
  EXPECT_EQ(o.run.code, 1);
  EXPECT_EQ(o.file["status"], "ok");
  EXPECT_TRUE(o.run.err.empty()) << o.run.err;
  EXPECT_TRUE(o.model_analysed);
  Outcome ws = scan_with("blank.py", [](const fs::path& p) { write_file(p, "\n\n   \n# only a comment\n"); });
  EXPECT_EQ(ws.file["status"], "ok");
}

TEST(BadInput, BinaryFileIsSkipped) {
  Outcome o = scan_with("weights.py", [](const fs::path& p) {
    std::string bytes("PK\x03\x04\x00\x00\x08\x00", 8);
    for (int i = 0; i < 4096; ++i) bytes += static_cast<char>(i * 37);
    write_file(p, bytes);
  });
  EXPECT_EQ(o.run.code, 1) << "skipped: the exit code is the findings'";
  EXPECT_EQ(o.file["status"], "skipped");
  expect_one_line(o, "weights.py", "binary");
  EXPECT_TRUE(o.model_analysed);
}

TEST(BadInput, InvalidUtf8IsAnError) {
  Outcome o = scan_with("latin.py", [](const fs::path& p) { write_file(p, "x = 1\ns = \"caf\xe9\"\n"); });
  EXPECT_EQ(o.run.code, 2);
  EXPECT_EQ(o.file["status"], "error");
  expect_one_line(o, "latin.py", "UTF-8");
  EXPECT_NE(o.run.err.find("line 2"), std::string::npos) << o.run.err;
  EXPECT_TRUE(o.model_analysed);
  // A PEP 263 Latin-1 / cp1252 declaration makes it valid Python: analysed (as Python decodes it).
  Outcome l1 = scan_with("decl.py", [](const fs::path& p) {
    write_file(p,
               "# -*- coding: latin-1 -*-\nimport torch.nn as nn\nclass M(nn.Module):\n"
               "    def forward(self, x):\n        eval(\"caf\xe9\")\n        return x\n");
  });
  EXPECT_EQ(l1.file["status"], "ok") << l1.run.err;
  EXPECT_EQ(l1.run.code, 1);
  bool decl_finding = false;
  for (const auto& f : l1.report["findings"]) decl_finding |= f["rule"] == "CE001" && f["path"] == "decl.py";
  EXPECT_TRUE(decl_finding) << "the eval in the Latin-1 file is found";
  Outcome sj = scan_with("sjis.py", [](const fs::path& p) { write_file(p, "# coding: shift_jis\ns = '\x82\xa0'\n"); });
  EXPECT_EQ(sj.file["status"], "error");
  expect_one_line(sj, "sjis.py", "declared encoding shift-jis is not supported");
  // A UTF-8 byte-order mark is fine.
  Outcome bom = scan_with("bom.py", [](const fs::path& p) { write_file(p, "\xEF\xBB\xBFx = 1\n"); });
  EXPECT_EQ(bom.file["status"], "ok");
  EXPECT_EQ(bom.run.code, 1);
}

std::string big_source(size_t bytes) {
  std::string s = "import torch\n\nTABLE = [\n";
  std::string row;
  for (int i = 0; i < 64; ++i) row += std::to_string(i * 7919 % 1000) + ", ";
  row = "    [" + row + "],\n";
  while (s.size() < bytes) s += row;
  s += "]\n\n\ndef f(x):\n    return torch.exp(x)\n";
  return s;
}

TEST(BadInput, TwentyMegabyteFile) {
  // Above the default --max-file-size (5 MB): skipped with a diagnostic.
  std::string src = big_source(20u << 20);
  Outcome o = scan_with("huge.py", [&](const fs::path& p) { write_file(p, src); });
  EXPECT_EQ(o.run.code, 1);
  EXPECT_EQ(o.file["status"], "skipped");
  expect_one_line(o, "huge.py", "MB");
  EXPECT_TRUE(o.model_analysed);
  // With a larger limit it is analysed completely (how fast is bench/'s business, not a test's).
  Outcome full = scan_with(
      "huge.py", [&](const fs::path& p) { write_file(p, src); }, "--max-file-size 32");
  EXPECT_EQ(full.file["status"], "ok") << full.run.err;
  EXPECT_TRUE(full.run.err.empty()) << full.run.err;
  EXPECT_EQ(full.run.code, 1);
}

// 5,000-deep nestings of every recursive construct.
std::vector<std::pair<std::string, std::string>> deep_sources(int n) {
  auto rep = [](const std::string& s, int k) {
    std::string o;
    for (int i = 0; i < k; ++i) o += s;
    return o;
  };
  std::vector<std::pair<std::string, std::string>> v;
  v.emplace_back("parens", "x = " + rep("(", n) + "1" + rep(")", n) + "\n");
  v.emplace_back("lists", "x = " + rep("[", n) + "1" + rep("]", n) + "\n");
  v.emplace_back("calls", "x = " + rep("f(", n) + "1" + rep(")", n) + "\n");
  v.emplace_back("binary", "x = 1" + rep(" + 1", n) + "\n");
  v.emplace_back("power", "x = 2" + rep(" ** 2", n) + "\n");
  v.emplace_back("unary", "x = " + rep("-", n) + "1\n");
  v.emplace_back("not", "x = " + rep("not ", n) + "y\n");
  v.emplace_back("attributes", "x = a" + rep(".b", n) + "\n");
  v.emplace_back("subscripts", "x = " + rep("a[", n) + "0" + rep("]", n) + "\n");
  v.emplace_back("lambdas", "f = " + rep("lambda: ", n) + "1\n");
  v.emplace_back("conditional", "x = 1" + rep(" if c else 1", n) + "\n");
  v.emplace_back("dicts", "x = " + rep("{1: ", n) + "1" + rep("}", n) + "\n");
  v.emplace_back("targets", rep("(", n) + "a" + rep(",)", n) + " = y\n");
  v.emplace_back("strings", "x = " + rep("f'{", n) + "1" + rep("}'", n) + "\n");
  std::string ifs;
  for (int i = 0; i < n / 10; ++i) ifs += std::string(static_cast<size_t>(i), ' ') + "if x:\n";
  ifs += std::string(static_cast<size_t>(n / 10), ' ') + "pass\n";
  v.emplace_back("ifs", ifs);
  std::string elifs = "if x == 0:\n    y = 0\n";
  for (int i = 1; i < n; ++i) elifs += "elif x == " + std::to_string(i) + ":\n    y = " + std::to_string(i) + "\n";
  v.emplace_back("elifs", elifs);
  std::string defs;
  for (int i = 0; i < n / 10; ++i)
    defs += std::string(static_cast<size_t>(i), ' ') + "def f" + std::to_string(i) + "():\n";
  defs += std::string(static_cast<size_t>(n / 10), ' ') + "return 1\n";
  v.emplace_back("defs", defs);
  return v;
}

TEST(BadInput, DeeplyNestedExpressionsDoNotOverflowTheStack) {
  // In-process first: a stack overflow would crash this test binary.
  for (const auto& [name, src] : deep_sources(5000)) {
    SCOPED_TRACE(name);
    auto l = lower_files({{name + ".py", src}});
    const ir::SourceFile* f = l.file(name + ".py");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->status, ir::FileStatus::Error) << f->message;
    EXPECT_EQ(f->message.find('\n'), std::string::npos);
  }
  // Through the CLI: the 5,000-deep parenthesised expression is a partial file.
  Outcome o = scan_with("deep.py", [](const fs::path& p) { write_file(p, deep_sources(5000)[0].second); });
  EXPECT_EQ(o.run.code, 1);
  EXPECT_EQ(o.file["status"], "partial");
  expect_one_line(o, "deep.py", "nesting deeper than");
  EXPECT_TRUE(o.model_analysed);
}

TEST(BadInput, DeepNestingThroughTheWholeScan) {
  // Every deep file in one scan (rules and analyses included), with several threads.
  TempDir d;
  write_file(d / "model.py", kModel);
  for (const auto& [name, src] : deep_sources(5000)) write_file(d / (name + ".py"), src);
  CliRun r = archscan("scan " + shell_quote(d.str()) + " --no-db --format json -j 2");
  ASSERT_TRUE(r.code == 1) << "crash or error: " << r.code << "\n" << r.err;
  json j = json::parse(r.out);
  for (const auto& f : j["files"]) EXPECT_TRUE(f["status"] == "ok" || f["status"] == "partial") << f.dump();
}

// A suppression comment on a very long line (minified or generated code) crashed the scan: the
// suppression parser's std::regex recursed once per character.
TEST(BadInput, LongSuppressionCommentLine) {
  for (const char* name : {"long.py", "long.cpp"}) {
    SCOPED_TRACE(name);
    std::string marker = std::string(name).ends_with(".py") ? "#" : "//";
    Outcome o = scan_with(name, [&](const fs::path& p) {
      write_file(p, "x = 1;  " + marker + " archscan: ignore[CE001] " + std::string(300000, 'a') + "\n");
    });
    EXPECT_EQ(o.run.code, 1) << o.run.err;
    EXPECT_TRUE(o.model_analysed);
  }
}

// C++ files that crashed the scan: a lambda without a parameter list (syntactic path), a default
// argument naming an unknown identifier (semantic path).
TEST(BadInput, CppCrashReproducers) {
  const std::pair<const char*, const char*> cases[] = {
      {"lambda.cpp", "void f(int x) {\n  auto g = [&] { return x + 1; };\n}\n"},
      {"default_arg.cpp", "void f(int x = UNKNOWN) {}\n"},
  };
  for (const auto& c : cases) {  // not a structured binding: clang 14 cannot capture one
    const char* name = c.first;
    const char* src = c.second;
    SCOPED_TRACE(name);
    Outcome o = scan_with(name, [&](const fs::path& p) { write_file(p, src); });
    EXPECT_EQ(o.run.code, 1) << o.run.err;
    EXPECT_TRUE(o.model_analysed);
    EXPECT_NE(o.file["status"], "error") << o.file.dump();
  }
}

// Unreadable files. Tests run as root in CI, where chmod 000 does not stop reading: a FIFO (not a
// regular file: reading it would block forever) and a dangling symlink fail for root too.
TEST(BadInput, UnreadableFifo) {
  Outcome o = scan_with("pipe.py", [](const fs::path& p) { ASSERT_EQ(mkfifo(p.c_str(), 0644), 0); });
  EXPECT_EQ(o.run.code, 2) << "not hung, not crashed: " << o.run.err;
  EXPECT_EQ(o.file["status"], "error");
  expect_one_line(o, "pipe.py", "not a regular file");
  EXPECT_TRUE(o.model_analysed);
}

TEST(BadInput, UnreadableDanglingSymlink) {
  Outcome o = scan_with("gone.py", [](const fs::path& p) { fs::create_symlink("nowhere/missing.py", p); });
  EXPECT_EQ(o.run.code, 2);
  EXPECT_EQ(o.file["status"], "error");
  expect_one_line(o, "gone.py", "No such file");
  EXPECT_TRUE(o.model_analysed);
}

TEST(BadInput, UnreadablePermissions) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads chmod 000 files (see UnreadableFifo / UnreadableDanglingSymlink)";
  Outcome o = scan_with("secret.py", [](const fs::path& p) {
    write_file(p, "x = 1\n");
    fs::permissions(p, fs::perms::none);
  });
  EXPECT_EQ(o.run.code, 2);
  EXPECT_EQ(o.file["status"], "error");
  expect_one_line(o, "secret.py", "Permission denied");
  EXPECT_TRUE(o.model_analysed);
  // An unreadable directory is reported too, not skipped silently.
  Outcome dir = scan_with("locked", [](const fs::path& p) {
    write_file(p / "hidden_model.py", kModel);
    fs::permissions(p, fs::perms::none);
  });
  EXPECT_EQ(dir.run.code, 2);
  EXPECT_EQ(dir.file["status"], "error");
  expect_one_line(dir, "locked", "cannot open directory: Permission denied");
  EXPECT_TRUE(dir.model_analysed);
}

TEST(BadInput, SymlinkLoop) {
  TempDir d;
  write_file(d / "model.py", kModel);
  fs::create_symlink("b.py", d / "a.py");
  fs::create_symlink("a.py", d / "b.py");
  fs::create_directories(d / "sub");
  fs::create_directory_symlink("..", d / "sub" / "up");  // a directory loop: not followed
  CliRun r = archscan("scan " + shell_quote(d.str()) + " --no-db --format json");
  EXPECT_EQ(r.code, 2) << r.err;
  auto lines = r.err_lines();
  ASSERT_EQ(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines[0], "archscan: a.py: error: cannot open: symlink loop");
  EXPECT_EQ(lines[1], "archscan: b.py: error: cannot open: symlink loop");
  json j = json::parse(r.out);
  ASSERT_EQ(j["files"].size(), 3u) << j["files"].dump();
  bool ce = false;
  for (const auto& f : j["findings"]) ce |= f["rule"] == "CE001";
  EXPECT_TRUE(ce);
}

TEST(BadInput, ManyBadFilesOneLineEach) {
  TempDir d;
  write_file(d / "model.py", kModel);
  write_file(d / "a_syntax.py", "def (:\n");
  write_file(d / "b_binary.py", std::string("\0\1\2", 3));
  write_file(d / "c_utf8.py", "\xff\n");
  ASSERT_EQ(mkfifo((d / "d_fifo.py").c_str(), 0644), 0);
  fs::create_symlink("missing", d / "e_dangling.py");
  CliRun r = archscan("scan " + shell_quote(d.str()) + " --no-db");
  EXPECT_EQ(r.code, 2);
  auto lines = r.err_lines();
  ASSERT_EQ(lines.size(), 5u) << r.err;
  const char* names[] = {"a_syntax.py", "b_binary.py", "c_utf8.py", "d_fifo.py", "e_dangling.py"};
  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(lines[i].rfind(std::string("archscan: ") + names[i] + ": ", 0), 0u) << lines[i];
  EXPECT_NE(r.out.find("model.py:6:9: CE001"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 file partially analysed; 4 files not analysed: "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace archscan::unit
