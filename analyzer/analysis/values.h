// Value-level queries on one function's dataflow graph.
#pragma once

#include <string>

#include "ir/ir.h"

namespace archscan::values {

// `self.a.b` read in a method: the attribute it names (following containers, submodules and base
// classes), or nullptr.
struct AttrRef {
  int32_t module = -1;
  std::string path;
  const ir::Attr* attr = nullptr;
};
AttrRef self_attr(const ir::Program& p, const ir::Function& f, ir::NodeId id);

// Ops that forward their first operand's data unchanged in kind (reshapes, casts, copies, device
// moves, detach): used to see through `w.view(...)`, `w.to(x)`, `w.float()`.
bool is_passthrough(const ir::Node& n);

// Where a tensor operand comes from once pass-through ops, in-place edits, constant scaling and
// phi merges are looked through.
struct Origin {
  enum Kind { Unknown, Param, Attr, Factory, Constant } kind = Unknown;
  ir::NodeId node = ir::kNoNode;
  AttrRef attr;
};
Origin origin(const ir::Program& p, const ir::Function& f, ir::NodeId id);

// The operand of a call by position or keyword.
ir::NodeId operand(const ir::Node& n, size_t pos, const char* keyword);

}  // namespace archscan::values
