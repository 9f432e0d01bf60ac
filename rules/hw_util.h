// Small IR helpers shared by the concealment (CN002-CN004), hardware (HW001) and batch (BM001)
// rules: resolving function values, def-use lists, branch regions, call-name tests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/ir.h"

namespace archscan::rules::hw {

// The last dotted component of a name ("torch.nn.functional.relu" -> "relu").
std::string_view last_component(std::string_view name);

// Every operand of a node (args, then kwargs values), skipping kNoNode.
std::vector<ir::NodeId> operands(const ir::Node& n);

// uses[v] = nodes that read v (as an arg or kwarg).
std::vector<std::vector<ir::NodeId>> build_uses(const ir::Function& f);

// ir::is_self, or the first parameter named `self` of a function of no known class.
bool is_self_param(const ir::Function& f, ir::NodeId id);

// A keyword argument by name, or kNoNode.
ir::NodeId kwarg(const ir::Node& n, std::string_view key);

// The string literal a node holds ("" when it is not a plain string constant).
bool string_const(const ir::Node& n, std::string* out);
// A plain numeric literal / folded constant (not a parameter position).
bool number_const(const ir::Node& n, double* out);

// The user function a value denotes: a def / lambda / global naming a function, a bound method
// `obj.method` of a user class, `functools.partial(fn, ...)`, or the nested function a factory
// call returns (`self._save(name)` returning `def hook`). -1 when unknown.
int32_t function_value(const ir::Program& p, const ir::Function& f, ir::NodeId id, int depth = 0);

// The user class of an object value (`Model(...)`, a variable bound to it), or -1.
int32_t class_of_value(const ir::Program& p, const ir::Function& f, ir::NodeId id, int depth = 0);

// A method of a class or of its user base classes, or -1.

// Whether a user module class (or a base) owns learned layers / parameters.
bool module_owns_weights(const ir::Program& p, int32_t mod);

// The nodes controlled by a branch: those after it in program order that are nested deeper, up to
// the first node back at the branch's depth. [first, last) node ids.
std::pair<ir::NodeId, ir::NodeId> branch_region(const ir::Function& f, ir::NodeId branch);

// For an `if` branch: the first line of its `else:` part (0 when it has none).
int32_t else_line(const ir::Program& p, const ir::Function& f, ir::NodeId branch);

// Whether a value is a training flag: `self.training`, or what a caller passed it as.
using TrainingFlag = std::function<bool(const ir::Function&, ir::NodeId)>;
// 1: condition `c` holds only in training; -1: it holds whenever the module is not training; 0: either.
int training_polarity(const ir::Function& f, ir::NodeId c, const TrainingFlag& flag, int depth = 0);
// Nodes that only run in training: `if <training>:` bodies, the `else:` of `if not <training>:`, and what
// follows `if not <training> [or ...]: return ...`.
std::vector<char> training_only(const ir::Program& p, const ir::Function& f, const TrainingFlag& flag);

// The dotted name a value denotes when it is a chain of attributes on a global
// (`torch.backends.cuda.matmul` -> that string); empty otherwise.
std::string global_path(const ir::Function& f, ir::NodeId id);

}  // namespace archscan::rules::hw
