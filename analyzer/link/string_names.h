// Names built from strings the code always holds: `getattr(fuse, "er" + "ase")`,
// `setattr(m, "pre" + "condition", fn)`, `getattr(self, "_" + MODE)` with MODE a module constant,
// `"_".join(("screen", "glare"))`. Folding them lets the linker resolve the attribute like any other.
#pragma once

#include <cstddef>

#include "ir/ir.h"

namespace archscan::link {

// Folds the name operand of getattr / setattr / hasattr calls to a string constant where it is one,
// and lowers `getattr(obj, "name")` to the attribute read `obj.name`. Once calls are resolved, a
// closure's parameter folds too (to what every call of the factory passes).
// Returns how many getattr / setattr calls became attribute reads and stores.
size_t fold_string_names(ir::Program& p, bool calls_resolved);

}  // namespace archscan::link
