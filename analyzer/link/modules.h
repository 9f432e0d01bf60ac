// Module attributes and submodule calls (part of linking).
#pragma once

#include <string>

#include "ir/ir.h"

namespace archscan::link {

// Builds every module's attributes from its methods, decides nn.Module-ness, and rewrites
// `module_call` nodes of torch.nn layers into their ops.
void build_modules(ir::Program& p);

// The attribute at a dotted path of a module ("layers.0", "head.fc"), following containers,
// submodules and base classes; nullptr when unknown.
const ir::Attr* module_attr(const ir::Program& p, int32_t mod, const std::string& path, int depth = 0);

}  // namespace archscan::link
