// How hooks talk to the model around them: values a pre-hook leaves in a closure for other hooks,
// and whether a hooked submodule's output is read by later learned layers.
#pragma once

#include <vector>

#include "analysis/flat_graph.h"

namespace archscan::flow {

// Values a function pre-hook stores into closure cells: `state["k"] = v`, `state.k = v`.
std::vector<Root::Stash> closure_stashes(const ir::Program& p, int32_t prehook_function);

// Whether the module hooked by `register_forward_hook(obj, ...)` (obj a node of `f`) is a submodule
// whose output the model's forward feeds into further learned layers.
bool hooked_output_feeds_learned(const ir::Program& p, const ir::Function& f, ir::NodeId obj);

}  // namespace archscan::flow
