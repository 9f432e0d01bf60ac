// Helpers for the front-end, CLI and bad-input tests: temporary trees, lowering snippets through
// the real pipeline (front-end + linker), IR queries, and running the archscan binary.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/pipeline.h"
#include "ir/ir.h"

namespace archscan::unit {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "archscan-unit-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    // Undo chmod 000 so the tree can be removed.
    for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (!it->is_symlink(ec)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
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

inline std::string source_dir() { return ARCHSCAN_SOURCE_DIR; }
inline std::string fixture(const std::string& rel) { return source_dir() + "/tests/fixtures/frontend/" + rel; }

// A lowered and linked program, with its temporary tree.
struct Lowered {
  std::unique_ptr<TempDir> dir;
  std::shared_ptr<ir::Program> prog;

  const ir::Program& p() const { return *prog; }

  const ir::Function* fn(const std::string& qualname) const {
    for (const auto& f : prog->functions)
      if (f.qualname == qualname) return &f;
    return nullptr;
  }
  const ir::Module* mod(const std::string& qualname) const {
    for (const auto& m : prog->modules)
      if (m.qualname == qualname) return &m;
    return nullptr;
  }
  const ir::SourceFile* file(const std::string& path) const {
    for (const auto& f : prog->files)
      if (f.path == path) return &f;
    return nullptr;
  }
  // Dump for failure messages.
  std::string dump() const { return ir::print(*prog); }
};

// Lowers the tree at `root` (or the given paths) through the pipeline: front-end, merge, link.
inline std::shared_ptr<ir::Program> build(const std::vector<std::string>& paths, int jobs = 1) {
  ScanOptions o;
  o.paths = paths;
  o.jobs = jobs;
  return build_program(o);
}

// Writes `files` (path relative to a fresh temporary directory -> text) and lowers them.
inline Lowered lower_files(const std::vector<std::pair<std::string, std::string>>& files) {
  Lowered l;
  l.dir = std::make_unique<TempDir>();
  for (const auto& [path, text] : files) write_file(*l.dir / path, text);
  l.prog = build({l.dir->str()});
  return l;
}

// One file, `m.py`: its functions are `m.<name>`, its classes `m.<Class>`.
inline Lowered lower(const std::string& source) { return lower_files({{"m.py", source}}); }

// ---- IR queries ----

inline std::vector<const ir::Node*> nodes(const ir::Function& f, const std::string& op) {
  std::vector<const ir::Node*> out;
  for (const auto& n : f.nodes)
    if (n.op == op) out.push_back(&n);
  return out;
}

// First node with this op (and name, when given); nullptr when none.
inline const ir::Node* first(const ir::Function& f, const std::string& op, const std::string& name = "") {
  for (const auto& n : f.nodes)
    if (n.op == op && (name.empty() || n.name == name)) return &n;
  return nullptr;
}

inline const ir::Node& arg(const ir::Function& f, const ir::Node& n, size_t i) { return f.node(n.args.at(i)); }

inline ir::NodeId kwarg(const ir::Node& n, const std::string& key) {
  for (const auto& [k, v] : n.kwargs)
    if (k == key) return v;
  return ir::kNoNode;
}

inline bool has_kwarg(const ir::Node& n, const std::string& key) {
  for (const auto& [k, v] : n.kwargs)
    if (k == key) return true;
  return false;
}

// The node a `return` returns (the last return of the function).
inline const ir::Node& returned(const ir::Function& f) {
  const ir::Node& r = f.node(f.returns.at(f.returns.size() - 1));
  return f.node(r.args.at(0));
}

inline const ir::Attr* child(const ir::Attr& a, const std::string& name) {
  for (const auto& c : a.children)
    if (c.name == name) return &c;
  return nullptr;
}

// ---- the archscan binary ----

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

struct CliRun {
  int code = -1;
  std::string out, err;
  std::vector<std::string> err_lines() const {
    std::vector<std::string> v;
    std::istringstream in(err);
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }
};

// Runs `archscan ARGS` (ARGS already shell-quoted where needed) with a timeout, capturing stdout
// and stderr. A timeout or a crash gives code -1.
// `env`: VAR=value assignments put before the command.
inline CliRun archscan(const std::string& args, const std::string& cwd = "", int timeout_s = 120,
                       const std::string& env = "") {
  TempDir errdir;
  fs::path errf = errdir / "stderr";
  std::string cmd = (cwd.empty() ? std::string() : "cd " + shell_quote(cwd) + " && ") + env + (env.empty() ? "" : " ") +
                    "timeout -s KILL " + std::to_string(timeout_s) + " " + shell_quote(ARCHSCAN_BINARY) + " " + args +
                    " 2>" + shell_quote(errf.string());
  CliRun r;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return r;
  std::array<char, 65536> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) r.out.append(buf.data(), n);
  int status = pclose(f);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (r.code == 137) r.code = -1;  // killed by the timeout
  r.err = read_file(errf);
  return r;
}

}  // namespace archscan::unit
