// How hooks talk to the model around them: values a pre-hook leaves in a closure for other hooks,
// and whether a hooked submodule's output is read by later learned layers.
#pragma once

#include <vector>

#include "analysis/flat_graph.h"

namespace archscan::flow {

// Values a function pre-hook stores into closure cells, `state["k"] = v`, `state.k = v`, or into
// an object a partial bound ahead of its module argument (`bound_cells`, see Root).
std::vector<Root::Stash> closure_stashes(const ir::Program& p, int32_t prehook_function,
                                         const std::vector<std::string>& bound_cells = {});

// Attributes a function pre-hook on a module of class `hooked` sets on that module or on a submodule
// it reaches by attribute (`model.layer2.gate = v`), or entries it writes in a mapping attribute there
// (`model.ctx["k"] = v`): stashes keyed by the class they land on.
std::vector<Root::Stash> attribute_stashes(const ir::Program& p, int32_t prehook_function, int32_t hooked);

// Entries a pre-hook that is a bound method of class `owner` stores in a mapping attribute of its
// object (`self.context["k"] = args[0]`), for the object's other hooks or its forward to read.
std::vector<Root::Stash> member_stashes(const ir::Program& p, int32_t prehook_method, int32_t owner);

// Whether the module hooked by `register_forward_hook(obj, ...)` (obj a node of `f`) is a submodule
// whose output the model's forward feeds into further learned layers.
bool hooked_output_feeds_learned(const ir::Program& p, const ir::Function& f, ir::NodeId obj);

// Whether the module hooked by `register_forward_pre_hook(obj, ...)` is a submodule the model's
// forward calls on the output of other learned layers: its inputs are intermediate activations.
bool hooked_input_is_learned(const ir::Program& p, const ir::Function& f, ir::NodeId obj);

// Whether a process-wide hook (register_module_forward_hook) acts on inner modules: it singles
// modules out by an attribute (`getattr(module, "_role", None)`) that the tree sets on submodules
// (`self.blocks[-1]._role = "out"`), not on the model itself.
bool global_hook_acts_inside(const ir::Program& p, int32_t hook_function);

}  // namespace archscan::flow
