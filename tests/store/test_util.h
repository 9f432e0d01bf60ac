// Helpers for the store / review / output tests: temporary directories, hand-made programs and
// findings, running commands.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/hash.h"
#include "core/source_reader.h"
#include "findings/finding.h"
#include "findings/fingerprint.h"
#include "findings/scan_result.h"
#include "ir/ir.h"

namespace archscan::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "archscan-store-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  fs::path operator/(const std::string& p) const { return path_ / p; }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A program holding source files (no IR beyond the text): enough for suppressions, fingerprints
// and snippets.
struct SourceSpec {
  std::string path, language, text;
};
inline ir::Program make_program(const std::vector<SourceSpec>& files) {
  ir::Program p;
  for (const auto& s : files) {
    ir::SourceFile f;
    f.path = s.path;
    f.language = s.language;
    f.text = s.text;
    f.line_starts = ir::line_starts(f.text);
    p.files.push_back(std::move(f));
  }
  return p;
}

inline Finding make_finding(const std::string& rule, const std::string& path, int line,
                            Severity sev = Severity::Warning, const std::string& message = "") {
  Finding f;
  f.rule = rule;
  f.severity = sev;
  f.path = path;
  f.line = line;
  f.column = 5;
  f.end_line = line;
  f.end_column = 12;
  f.message = message.empty() ? rule + " finding" : message;
  f.scope = "model.Net.forward";
  return f;
}

// A ScanResult for `program`, with a FileReport per file and the findings fingerprinted the way the
// pipeline does it.
inline ScanResult make_result(const std::string& root, const ir::Program& p, std::vector<Finding> findings) {
  ScanResult r;
  r.root = root;
  r.arguments = {"archscan", "scan", root};
  for (const auto& f : p.files) r.files.push_back({f.path, f.language, "ok", "", "", hash_hex(f.text)});
  r.findings = std::move(findings);
  assign_fingerprints(r.findings, p);
  attach_snippets(r.findings, p);
  return r;
}

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

// Runs a shell command, capturing standard output (standard error passes through).
inline CommandResult run_command(const std::string& cmd) {
  CommandResult r;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) r.out.append(buf.data(), n);
  int status = pclose(f);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace archscan::testing
