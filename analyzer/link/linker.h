// Whole-program linking: merges per-file fragments into one Program, resolves names across files
// (imports, re-exports, star imports honouring __all__), classes' bases, calls into functions and
// constructors, and builds each module's attributes from what its __init__ puts on `self`.
#pragma once

#include <string>

#include "ir/ir.h"

namespace archscan::link {

// Appends `fragment` (file index 0) to `program`, re-basing every index.
void merge(ir::Program& program, ir::Program&& fragment);

// Resolves names and builds module attributes. Idempotent per program.
void link(ir::Program& program);

// What a dotted path names in the scanned tree.
struct Entity {
  enum Kind { None, File, Function, Class } kind = None;
  int32_t id = -1;
};
// `from_file`: the file the name is written in, whose own definitions win.
Entity resolve(const ir::Program& program, const std::string& dotted, int32_t from_file = -1);

// The function of the tree a decorator of `f` (one of f.decorators, as written) is called with `f`:
// the decorator itself, or what a decorator factory returns (`@step("prior")` -> the `register`
// closure `step` returns); -1 when it is not a function of the tree.
int32_t decorator_function(const ir::Program& program, const ir::Function& f, const std::string& decorator);

}  // namespace archscan::link
