// Helpers for the C++ front-end tests: lower source text through the registered "cpp" front-end,
// link it, and query the IR.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "frontend/frontend.h"
#include "ir/ir.h"
#include "link/linker.h"

namespace archscan::cpptest {

namespace fs = std::filesystem;

inline fs::path scratch_dir() {
  fs::path d = fs::temp_directory_path() / ("archscan_cpp_tests_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

// Removes the scratch directory when the test program ends.
class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(fs::temp_directory_path() / ("archscan_cpp_tests_" + std::to_string(::getpid())), ec);
  }
};
inline ::testing::Environment* const kScratchCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

// mode: "syntactic", "semantic" or "" (automatic). Writes the file so Clang can find it.
inline ir::Program lower_file(const fs::path& path, const std::string& text, const std::string& mode,
                              const frontend::Options& opts = {}, const std::string& rel = {}) {
  if (mode.empty())
    ::unsetenv("ARCHSCAN_CPP_MODE");
  else
    ::setenv("ARCHSCAN_CPP_MODE", mode.c_str(), 1);
  ir::Program frag;
  frag.files.emplace_back();
  ir::SourceFile& f = frag.files.back();
  f.path = rel.empty() ? path.filename().string() : rel;
  f.abs_path = path.string();
  f.text = text;
  f.line_starts = ir::line_starts(text);
  const frontend::Frontend* fe = frontend::frontend_for(f.abs_path);
  EXPECT_NE(fe, nullptr);
  if (fe) fe->lower(frag, opts);
  ::unsetenv("ARCHSCAN_CPP_MODE");
  ir::Program prog;
  link::merge(prog, std::move(frag));
  link::link(prog);
  return prog;
}

inline ir::Program lower_text(const std::string& text, const std::string& mode = "syntactic",
                              const std::string& name = "model.cpp", const frontend::Options& opts = {}) {
  fs::path p = scratch_dir() / name;
  std::ofstream(p) << text;
  return lower_file(p, text, mode, opts);
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The function whose qualname ends with `suffix` ("NetImpl.forward").
inline const ir::Function* fn(const ir::Program& p, const std::string& suffix) {
  for (const auto& f : p.functions)
    if (f.qualname.size() >= suffix.size() &&
        f.qualname.compare(f.qualname.size() - suffix.size(), suffix.size(), suffix) == 0)
      return &f;
  return nullptr;
}

inline const ir::Module* mod(const ir::Program& p, const std::string& name) {
  for (const auto& m : p.modules)
    if (m.name == name) return &m;
  return nullptr;
}

inline std::vector<const ir::Node*> nodes(const ir::Function& f, const std::string& op) {
  std::vector<const ir::Node*> out;
  for (const auto& n : f.nodes)
    if (n.op == op) out.push_back(&n);
  return out;
}

inline const ir::Node* first(const ir::Function& f, const std::string& op) {
  for (const auto& n : f.nodes)
    if (n.op == op) return &n;
  return nullptr;
}

inline bool has_op(const ir::Function& f, const std::string& op) { return first(f, op) != nullptr; }

inline bool torch_available() { return fs::exists("/usr/include/torch/csrc/api/include/torch/torch.h"); }

}  // namespace archscan::cpptest
