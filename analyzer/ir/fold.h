// Constant folding shared by the front-ends: `2**20`, `254/255`, `-1e4` carry their value.
#pragma once

#include "ir/ir.h"

namespace archscan::ir {

// Sets node `id`'s `num` when its op and operands are all known numbers (a parameter's `num` is its
// position, never a value). Non-finite results are left unfolded.
void fold_constant(Function& f, NodeId id);

}  // namespace archscan::ir
