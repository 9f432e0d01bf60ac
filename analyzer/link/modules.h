// Module attributes and submodule calls (part of linking).
#pragma once

#include <string>

#include "ir/ir.h"

namespace archscan::link {

// Builds every module's attributes from its methods, decides nn.Module-ness, and rewrites
// `module_call` nodes of torch.nn layers into their ops.
void build_modules(ir::Program& p);

}  // namespace archscan::link
