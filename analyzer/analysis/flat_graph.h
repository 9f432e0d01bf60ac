// A root's whole computation as one dataflow graph: the root function (a model's forward, a hook,
// a patched-in forward) with the user functions and submodules it calls inlined, so flow from the
// model's inputs can be followed across helpers, submodules, containers and files.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "ir/ir.h"

namespace archscan::flow {

// What a flat node is beyond its op.
enum FlatFlag : uint32_t {
  kFlatLearned = 1u << 0,  // applies learned parameters (a layer, a user module owning parameters, an opaque call of an
                           // unknown module)
  kFlatParam = 1u << 1,    // reads a trainable parameter (nn.Parameter, a layer's weight)
  kFlatConstTensor = 1u << 2,  // reads a hard-coded tensor: plain tensor attribute, buffer, literal tensor
  kFlatInput = 1u << 3,        // a root input
  kFlatOpaque = 1u << 4,       // a call whose body is unknown
  kFlatSequence = 1u << 5,     // reads a stored literal sequence of numbers (a token pattern)
  kFlatLoopHeader = 1u << 6,   // a loop's phi: the value entering the loop, later joined by its back-edge
  kFlatItemJoin = 1u << 7,     // a phi of what each item of a list of callables returns (one runs per item)
  kFlatScalarParam = 1u << 8,  // reads a parameter that is one number (a learned temperature, a gain)
};

struct FlatNode {
  std::string op;
  std::vector<int32_t> args;
  std::vector<std::pair<std::string, int32_t>> kwargs;
  std::string name;
  std::optional<double> num;
  uint32_t ir_flags = 0;
  uint32_t flags = 0;
  ir::Loc loc;
  int32_t function = -1;  // IR function the node comes from
  int32_t call_depth = 0;
  const ir::Attr* attr = nullptr;  // for attr reads resolved against a module
  // op "instance": an object built outside the root (`SPEC = Spec(template=..., event=5)` at module
  // level), as the construction call `src_node` of function `src_function`; its fields are read
  // from that call's arguments.
  int32_t src_function = -1;
  int32_t src_node = -1;
  int32_t input_index = -1;  // kFlatInput: which root input
  // The call in the root function through which this node was inlined (invalid for the root's own
  // nodes): where a finding whose code sits in a shared helper is anchored in the model.
  ir::Loc anchor;
  // The calls it was inlined through, outermost first (an index into FlatGraph::call_stacks; -1
  // for the root's own nodes): every line that hands the data on to the code holding this node.
  int32_t call_stack = -1;
};

// How the root's output is used by its context.
enum class RootKind {
  Forward,         // a module's forward
  PreStage,        // a module placed before a model (Sequential(Prep(), model)): its output feeds learned layers
  PreHook,         // forward pre-hook: (module, inputs) -> new inputs, feeds the module
  ForwardHook,     // forward hook: (module, inputs, output) -> new output
  PatchedForward,  // a function installed as some module's forward
};

struct Root {
  int32_t function = -1;
  int32_t self_module = -1;  // the module `self` refers to, when known
  RootKind kind = RootKind::Forward;
  std::string label;      // module or function name for messages
  ir::Loc registered_at;  // where a hook / patch was installed
  // The function that registered a hook and the module value it registered it on there: what
  // that function sets on the module (`module.fill = torch.tensor(FILL)`) the hook reads back.
  int32_t installer = -1;
  ir::NodeId installed_on = -1;
  // The calls of the function that installs it, from the code that runs it (a model's __init__
  // calling `install_rules()`), up to a few levels.
  std::vector<ir::Loc> installed_via;
  // Where the code was attached to the model from outside: a class decorator's line (its
  // installed `__init__` registers the hook), or `model.__class__ = ThisClass`.
  ir::Loc attached_at;
  // A plain function stored on an instance (`model.forward = fn`): called without a receiver.
  bool unbound = false;
  bool hook_object = false;  // the hook is an object's __call__ or bound method: parameters start after self
  bool global_hook = false;  // registered for every module (register_module_forward_hook)
  // Parameters a `functools.partial` bound by keyword when the hook was registered: values fixed at
  // install time, not data the hooked module passes.
  std::vector<std::string> bound_keywords;
  // Values a `functools.partial` bound ahead of the module and its inputs (`partial(hook, self._state)`),
  // one per position: the shared object each names ("Class.attr" for an attribute of the registering
  // module, "" when unknown). The hook's parameters shift by that many.
  std::vector<std::string> bound_cells;
  std::vector<std::string> input_attrs;  // attributes of the hook object that a pre-hook fills with the input
  // A value a function pre-hook stores in a closure cell (`state["k"] = f(args[0])`) for other hooks.
  struct Stash {
    int32_t writer = -1;      // the pre-hook function
    ir::NodeId value = -1;    // the stored value, a node of the writer
    int32_t cell_owner = -1;  // the enclosing function that owns the cell (-1: a partial-bound cell)
    std::string cell;         // the cell's variable name, or the Root::bound_cells name
    size_t bound = 0;         // positions the writer's partial bound ahead of its module argument
    std::string key;          // the item or attribute it is stored under ("" for the cell itself)
    // Or an attribute set on a module the pre-hook reaches from its module argument
    // (`model.layer2.gate = f(args[0])`): the class of that module (cell_owner is then -1).
    int32_t module = -1;
    // With `module`, a mapping attribute of that module's object the entry sits in (`self.ctx["k"]`,
    // written by a bound-method pre-hook); empty for an attribute set on the module itself.
    std::string member;
  };
  std::vector<Stash> stashes;
  // A forward hook on a submodule whose output later layers read (a block in the middle of the model).
  bool output_feeds_learned = false;
  // A pre-hook on a submodule that runs on other layers' output: its inputs are activations.
  bool input_learned = false;
};

struct FlatGraph {
  Root root;
  std::vector<FlatNode> nodes;
  std::vector<int32_t> inputs;   // root input nodes, in parameter order (self excluded)
  std::vector<int32_t> outputs;  // values the root returns
  bool truncated = false;        // inlining stopped at the size limit
  // Loop phis whose value later iterations hand to layers of a container the loop walks (`for blk
  // in self.blocks: x = blk(x); x = x + extra`): the layers are analysed once, reading what enters
  // the loop, so what the loop body writes back feeds them only through this list.
  std::vector<int32_t> layer_loop_carries;
  // For each carry, what the unrolled layers return: a back-edge that is just this value (`x =
  // blk(x)` and nothing else) hands no layer anything the unrolled chain does not already show.
  std::vector<int32_t> layer_loop_results;
  std::vector<std::vector<ir::Loc>> call_stacks;  // see FlatNode::call_stack
  // Attributes the graph made up (a slice of a Sequential, `self.torso[:2]`), which FlatNode::attr
  // may point into; shared so that copies of the graph keep them alive and in place.
  std::shared_ptr<std::deque<ir::Attr>> made_attrs = std::make_shared<std::deque<ir::Attr>>();
};

// The roots of a program: top-level model modules (not used as another module's submodule), hooks,
// patched-in forwards and pre-stage modules of builder wrappers.
std::vector<Root> find_roots(const ir::Program& p);

// Inlines calls from the root (depth and size bounded).
FlatGraph flatten(const ir::Program& p, const Root& root);

}  // namespace archscan::flow
