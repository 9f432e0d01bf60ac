// Front-end registry: each language's lowering registers itself for its file extensions, so adding a
// front-end touches nothing else. A lowering turns ONE file into a Program fragment whose file index
// 0 is that file; the scanner merges fragments and the linker resolves names across files.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ir/ir.h"

namespace archscan::frontend {

struct Options {
  std::string compile_commands_dir;          // `-p DIR` (C++)
  std::vector<std::string> extra_args;       // arguments after `--` (C++)
  bool default_flags = true;                 // extra_args add to the default C++ flags (else they replace them)
  int max_depth = 400;                       // deepest expression / statement nesting that is lowered
  bool syntactic_only = false;               // C++ without Clang: the editor's quick path on every keystroke
  std::atomic<int64_t>* parse_ns = nullptr;  // when set, tree-sitter parse time is added (--profile)
};

// Adds the time since it was made to `counter` (when there is one): a front-end's parse time.
class ParseTimer {
 public:
  explicit ParseTimer(std::atomic<int64_t>* counter)
      : counter_(counter),
        start_(counter ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point()) {}
  ~ParseTimer() {
    if (counter_)
      *counter_ +=
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count();
  }
  ParseTimer(const ParseTimer&) = delete;
  ParseTimer& operator=(const ParseTimer&) = delete;

 private:
  std::atomic<int64_t>* counter_;
  std::chrono::steady_clock::time_point start_;
};

// `file` arrives with path, abs_path, module_name and text filled in. The lowering sets
// language, status/message (partial parses), mode, and adds functions, modules and imports.
using LowerFn = std::function<void(ir::Program& fragment, const Options& opts)>;

struct Frontend {
  std::string language;                 // "python", "cpp"
  std::vector<std::string> extensions;  // ".py"
  LowerFn lower;
};

void register_frontend(Frontend f);
const Frontend* frontend_for(const std::string& path);  // by extension, nullptr when none
const std::vector<Frontend>& frontends();

template <class T>
struct FrontendRegistrar {
  explicit FrontendRegistrar(Frontend f) { register_frontend(std::move(f)); }
};

}  // namespace archscan::frontend
