// Module attributes and submodule calls (part of linking).
#pragma once

#include <string>

#include "ir/ir.h"

namespace archscan::link {

// Attr::text of a torch layer whose weight the code copies from a stored template and then freezes
// (`conv.weight.copy_(T); conv.requires_grad_(False)`): a fixed filter, not a learned layer.
inline constexpr const char* kFixedTemplate = "<fixed-template>";

// The attribute (a list) holding the modules a constructor sets under names only known at run time
// (`for name, mod in zip(names, mods): setattr(self, name, mod)`): `getattr(self, name)` with such
// a name may read any of them.
inline constexpr const char* kNamedAtRunTime = "<named at run time>";

// Builds every module's attributes from its methods, decides nn.Module-ness, and rewrites
// `module_call` nodes of torch.nn layers into their ops.
void build_modules(ir::Program& p);

}  // namespace archscan::link
