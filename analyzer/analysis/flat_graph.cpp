#include "analysis/flat_graph.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "analysis/distributions.h"
#include "analysis/hook_context.h"
#include "ir/ops.h"
#include "link/linker.h"
#include "link/modules.h"

namespace archscan::flow {
namespace {

constexpr size_t kMaxNodes = 60000;
constexpr int kMaxDepth = 10;

using ir::find_method;

bool attr_learned(const ir::Attr& a) { return a.learned; }

// The number an index node folds to; a parameter's `num` is its position, not a value.
std::optional<double> index_value(const ir::Node& n) { return n.op == "param" ? std::nullopt : n.num; }

// An op a tensor (or any value) has as a method: arithmetic, shapes, reductions, conversions.
bool tensor_method(std::string_view op) {
  return ir::is_reduction(op) || ir::is_elementwise_math(op) || ir::is_shape_op(op) || ir::is_metadata_op(op) ||
         ir::is_threshold_like(op) || ir::is_activation(op) || ir::is_tensor_factory(op) ||
         ir::is_value_conversion(op) || ir::is_pooling(op) || ir::is_learned_functional(op) || ir::is_loss(op) ||
         ir::is_comparison(op) || ir::is_autograd_flag_op(op) || op == "attr" || op == "getitem" || op == "setattr" ||
         op == "setitem" || op == "get" || op == "items" || op == "keys" || op == "values" || op == "copy" ||
         op == "clone" || op == "index_select" || op == "gather" || op == "scatter" || op == "where" ||
         op == "masked_fill" || op == "type" || op == "numpy" || op == "tolist" || op == "item";
}

// What calling an instance of `mod` runs when the model code defines `__call__`: a plain callable
// object's, or a mixin's ahead of nn.Module in the MRO (`class Block(GuardMixin, nn.Module)`);
// -1 when calling it runs nn.Module's own machinery (its forward). (nn.Module itself, when the
// scanned tree is torch, defines that machinery.)
int32_t instance_call(const ir::Program& p, int32_t mod) {
  int32_t call = ir::find_method(p, mod, "__call__");
  if (call >= 0 && p.mod(mod).is_nn_module) {
    const int32_t owner = p.fn(call).owner_module;
    if (owner < 0 || (p.mod(owner).bases.empty() && p.mod(owner).name == "Module")) call = -1;
  }
  return call;
}

// The class of the instance every call of `fn` passes for parameter `param` (-1 when a caller
// passes something else or there is no caller).
// Every call of `fn` in the tree, with the argument it passes for `param` (kNoNode when none).
template <typename Visit>
static void call_site_arguments(const ir::Program& p, int32_t fn, const ir::Node& param, Visit visit) {
  if (!param.num) return;
  const auto& decos = p.fn(fn).decorators;
  const bool is_static = std::find(decos.begin(), decos.end(), "staticmethod") != decos.end();
  for (const auto& caller : p.functions)
    for (const auto& call : caller.nodes) {
      if (call.op != "call" || call.target_function != fn) continue;
      ir::NodeId arg = ir::kNoNode;
      for (const auto& [k, v] : call.kwargs)
        if (k == param.name) arg = v;
      // (`self.make(k)` of a staticmethod: the receiver the call carries first is not its argument)
      const size_t at = static_cast<size_t>(*param.num) + (is_static && call.name.rfind("self.", 0) == 0 ? 1 : 0);
      if (arg == ir::kNoNode && at < call.args.size()) arg = call.args[at];
      visit(caller, arg);
    }
}

static int32_t argument_class(const ir::Program& p, int32_t fn, const ir::Node& param) {
  int32_t cls = -1;
  bool any = false, agree = true;
  call_site_arguments(p, fn, param, [&](const ir::Function& caller, ir::NodeId arg) {
    int32_t c = arg == ir::kNoNode ? -1 : ir::instance_class(p, caller, arg);
    agree &= c >= 0 && (!any || c == cls);
    cls = c;
    any = true;
  });
  return any && agree ? cls : -1;
}

// The number every call of `fn` passes for `param` (`make_filter(RESERVED_FROM, 2)`), if they agree.
static std::optional<double> argument_number(const ir::Program& p, int32_t fn, const ir::Node& param) {
  std::optional<double> num;
  bool any = false, agree = true;
  call_site_arguments(p, fn, param, [&](const ir::Function& caller, ir::NodeId arg) {
    std::optional<double> v = arg == ir::kNoNode ? std::nullopt : caller.node(arg).num;
    agree &= v && (!any || (num && *v == *num));
    num = v;
    any = true;
  });
  return any && agree ? num : std::nullopt;
}

int32_t function_of(const ir::Function& f, ir::NodeId id);

// The function every call of `fn` passes for `param` (`_register(self, exposure_hook)`), if they agree.
static int32_t argument_function(const ir::Program& p, int32_t fn, const ir::Node& param) {
  int32_t g = -1;
  bool any = false, agree = true;
  call_site_arguments(p, fn, param, [&](const ir::Function& caller, ir::NodeId arg) {
    const int32_t h = arg == ir::kNoNode ? -1 : function_of(caller, arg);
    agree &= h >= 0 && (!any || h == g);
    g = h;
    any = true;
  });
  return any && agree ? g : -1;
}

// A call made later (an ExitStack callback, run when its `with` block ends).
struct DeferredCall {
  int32_t fn = -1;
  std::vector<int32_t> args;
  std::vector<std::pair<std::string, int32_t>> kwargs;
  ir::Loc loc;
};

// A value the call stored on one of the model's submodules, and where.
struct StoredState {
  int32_t value = -1;
  ir::Loc written_at;
};

class Inliner {
 public:
  Inliner(const ir::Program& p, FlatGraph& g) : p_(p), g_(g) {}

  int32_t add(FlatNode n) {
    if (!n.anchor.valid()) n.anchor = anchor_;
    if (training_ > 0) n.ir_flags |= ir::kTraining;
    if (n.call_stack < 0 && !calls_.empty()) {
      if (call_stack_ < 0) {
        g_.call_stacks.push_back(calls_);
        call_stack_ = static_cast<int32_t>(g_.call_stacks.size() - 1);
      }
      n.call_stack = call_stack_;
    }
    g_.nodes.push_back(std::move(n));
    return static_cast<int32_t>(g_.nodes.size() - 1);
  }

  // A literal: a number, or a string (`num` empty, `name` its text).
  // A method bound by `functools.partialmethod(impl, k=v)` in the class body (of the instance's
  // class or a base): the keywords it binds, unless the call passes them.
  void add_method_keywords(int32_t mod, int32_t fid, std::vector<std::pair<std::string, int32_t>>& kwargs,
                           const ir::Loc& loc) {
    for (int guard = 0; mod >= 0 && guard < 8; ++guard) {
      const ir::Module& m = p_.mod(mod);
      for (const auto& [name, bound] : m.method_keywords) {
        auto it = m.methods.find(name);
        if (it == m.methods.end() || it->second != fid) continue;
        const ir::Function& body = p_.fn(m.body_function);
        for (const auto& [k, v] : bound) {
          const std::string& key = k;  // (clang 14 cannot capture a structured binding)
          if (std::any_of(kwargs.begin(), kwargs.end(), [&](const auto& kv) { return kv.first == key; })) continue;
          const ir::Node& val = body.node(v);
          if (!val.num && val.op != "const") continue;
          kwargs.emplace_back(k, constant(val.name, val.num, loc, m.body_function));
        }
        return;
      }
      mod = m.base_modules.empty() ? -1 : m.base_modules.front();
    }
  }

  int32_t constant(const std::string& name, std::optional<double> num, const ir::Loc& loc, int32_t fn) {
    FlatNode c;
    c.op = "const";
    c.name = name;
    c.num = num;
    c.loc = loc;
    c.function = fn;
    return add(std::move(c));
  }

  // Method `meth` of the object `obj` as a value (`getattr(self, name)`, a row of getmembers).
  int32_t bound_method(int32_t obj, int32_t meth, const std::string& name, const ir::Loc& loc, int32_t fn) {
    FlatNode d;
    d.op = "def";
    d.num = meth;
    d.args = {obj};
    d.loc = loc;
    d.function = fn;
    d.name = name;
    return add(std::move(d));
  }

  int32_t self_node(int32_t module, const ir::Loc& loc) {
    FlatNode n;
    n.op = "self";
    n.num = module;
    n.loc = loc;
    return add(std::move(n));
  }

  int32_t opaque(const std::string& op, std::vector<int32_t> args, const ir::Loc& loc, bool learned, int32_t fn,
                 const std::string& name = {}) {
    FlatNode n;
    n.op = op;
    n.name = name;
    n.args = std::move(args);
    n.loc = loc;
    n.function = fn;
    n.flags = kFlatOpaque | (learned ? kFlatLearned : 0u);
    return add(std::move(n));
  }

  // A node computed from `args` (not an opaque call).
  int32_t derived(const std::string& op, std::vector<int32_t> args, const ir::Loc& loc, int32_t fn) {
    FlatNode n;
    n.op = op;
    n.args = std::move(args);
    n.loc = loc;
    n.function = fn;
    return add(std::move(n));
  }

  // Calls the callable an argument names (`checkpoint(fn, ...)`, `map(fn, ...)`): a function of the
  // tree, a method bound to its receiver (`self._mid`, unless static), else the callable value.
  int32_t call_argument(const ir::Node& fn_arg, int32_t callee, int32_t receiver, std::vector<int32_t> args,
                        const std::vector<std::pair<std::string, int32_t>>& kwargs, const ir::Loc& loc, int32_t fid,
                        int depth) {
    const int32_t target = fn_arg.target_function;
    if (target >= 0 && !active_.count(target)) {
      if (fn_arg.op == "global") return inline_fn(target, args, kwargs, -1, depth + 1, loc);
      if (fn_arg.op == "attr" && receiver >= 0) {
        const auto& decorators = p_.fn(target).decorators;
        const bool bound = std::find(decorators.begin(), decorators.end(), "staticmethod") == decorators.end();
        const FlatNode& recv = g_.nodes[static_cast<size_t>(receiver)];
        const int32_t self_mod = bound && recv.op == "self" && recv.num ? static_cast<int32_t>(*recv.num) : -1;
        if (bound) args.insert(args.begin(), receiver);
        return inline_fn(target, args, kwargs, self_mod, depth + 1, loc);
      }
    }
    return callee >= 0 ? call_value(callee, std::move(args), kwargs, loc, fid, depth) : -1;
  }

  // An attribute of a module as a value.
  int32_t attr_value(const ir::Attr& a, const ir::Loc& loc, int32_t fn, const std::string& name) {
    // A module built one of several ways (`A() if flag else B()`), or a callable chosen one of
    // several ways (`self._guard if strict else _identity`): whichever it is (calling the value
    // calls each).
    auto module = [](const ir::Attr& x) {
      return x.kind == ir::AttrKind::Submodule || x.kind == ir::AttrKind::Layer;
    };
    const bool modules = module(a) && !a.alternatives.empty() &&
                         std::all_of(a.alternatives.begin(), a.alternatives.end(), module);
    if (modules || function_choices(a)) {
      FlatNode phi;
      phi.op = "phi";
      phi.loc = loc;
      phi.function = fn;
      ir::Attr first = a;
      first.alternatives.clear();
      owned_.push_back(std::make_unique<ir::Attr>(std::move(first)));
      phi.args.push_back(attr_value(*owned_.back(), loc, fn, name));
      for (const auto& alt : a.alternatives) phi.args.push_back(attr_value(alt, loc, fn, name));
      return add(std::move(phi));
    }
    FlatNode n;
    n.loc = loc;
    n.function = fn;
    n.name = name;
    n.attr = &a;
    switch (a.kind) {
      case ir::AttrKind::Submodule:
        n.op = "self";
        n.num = a.module_class;
        break;
      case ir::AttrKind::Container:
        n.op = "container";
        break;
      case ir::AttrKind::Layer:
        n.op = "layer_ref";
        break;
      case ir::AttrKind::Parameter:
        n.op = "attr";
        n.flags |= kFlatParam | (a.scalar ? kFlatScalarParam : 0u);
        break;
      case ir::AttrKind::Buffer:
      case ir::AttrKind::PlainTensor:
        // A tensor handed to several constructors (`loop_state = torch.zeros(1)` passed to two
        // blocks) and edited in place by one: the others read the edited tensor.
        if (auto st = passed_tensor_state_.find(a.type); st != passed_tensor_state_.end()) return st->second;
        n.op = "attr";
        n.flags |= kFlatConstTensor;
        break;
      case ir::AttrKind::Constant:
        n.op = "const";
        n.num = a.num;
        if (!a.text.empty()) n.name = a.text;
        if (!a.num && a.text.empty()) n.name = "None";  // not a number, not a string: no text to fold
        break;
      default:
        n.op = "attr";
        if (a.type.rfind("argument:", 0) == 0) n.op = "module_arg";  // e.g. a wrapped model passed in
        if (a.type == "sequence") n.flags |= kFlatSequence;
        // A plain Python list of callables built in __init__ (self.processors = [Rule(...)]), or
        // passed to it (`post=(route,)`).
        if (!a.children.empty()) n.op = "container";
        if (a.type == "methodcaller") {  // operator.methodcaller("clamp", 0, 1)
          n.op = "methodcaller";
          n.name = a.text;
        }
        if (a.type == "itemgetter") {  // operator.itemgetter("logits", "span"): called on a mapping above
          n.op = "call";
          n.name = "operator.itemgetter";
          for (size_t at = 0; at <= a.text.size();) {
            const size_t end = std::min(a.text.find('\n', at), a.text.size());
            n.args.push_back(constant(a.text.substr(at, end - at), std::nullopt, loc, fn));
            at = end + 1;
          }
        }
        if (a.type == "attrgetter") {  // operator.attrgetter("readers.{}"): called on an object below
          FlatNode path;
          path.op = "const";
          path.name = a.text;
          path.loc = loc;
          path.function = fn;
          n.op = "call";
          n.name = "operator.attrgetter";
          n.args = {add(std::move(path))};
        }
        if (a.function >= 0) {
          n.op = "def";
          n.num = a.function;
        }
        break;
    }
    return add(std::move(n));
  }

  // `receiver.name(*extra, **kwargs)` as a tensor method node.
  int32_t method_of(const std::string& op, const std::string& name, int32_t receiver, std::vector<int32_t> extra,
                    std::vector<std::pair<std::string, int32_t>> kwargs, const ir::Loc& loc, int32_t fn) {
    FlatNode n;
    n.op = op;
    n.name = name;
    n.args = {receiver};
    n.args.insert(n.args.end(), extra.begin(), extra.end());
    n.kwargs = std::move(kwargs);
    n.loc = loc;
    n.function = fn;
    return add(std::move(n));
  }

  // Calls a module-like flat value (a submodule, a container, a layer reference) with `args`.
  int32_t call_value(int32_t callee, std::vector<int32_t> args, std::vector<std::pair<std::string, int32_t>> kwargs,
                     const ir::Loc& loc, int32_t fn, int depth) {
    const FlatNode c = g_.nodes[static_cast<size_t>(callee)];
    // `ref()` on a weak reference (`weakref.ref(obj)`, `weakref.WeakMethod(self.m)`): the object.
    if (args.empty() && kwargs.empty() && c.attr && c.attr->text == ir::kWeakReference) return callee;
    if (c.op == "self" && c.num) {
      int32_t mod = static_cast<int32_t>(*c.num);
      // Calling an instance runs its class's __call__ when the model code defines one, else its forward.
      int32_t fwd = instance_call(p_, mod);
      if (fwd < 0) fwd = find_method(p_, mod, "forward");
      if (fwd >= 0 && can_inline(depth)) {
        args.insert(args.begin(), callee);
        return inline_fn(fwd, args, kwargs, mod, depth + 1, loc);
      }
      // A subclass of nn.Sequential without a forward of its own runs its layers in order.
      if (const ir::Attr* items = ir::module_attr(p_, mod, ir::kContainerItems); fwd < 0 && items)
        return call_container(*items, args, loc, fn, depth, false);
      bool learned = mod >= 0 && module_learned(mod);
      return opaque("module_call", args, loc, learned, fn, p_.mod(mod).name);
    }
    // getattr(self, name)(x, y) with a name the analysis cannot fold (read from a list a class
    // decorator or descriptor recorded): one of the class's own methods that takes these arguments;
    // the decorated ones when some are (steps registered that way), else any, when few fit.
    if (c.op == "call" && (c.name == "getattr" || c.name == "builtins.getattr") && c.args.size() == 2 &&
        !string_value(c.args[1]) && can_inline(depth)) {
      const FlatNode& obj = g_.nodes[static_cast<size_t>(c.args[0])];
      // (the modules the constructor set under names known only at run time: `for name in
      // self.order: s = getattr(self, name)(s)` runs each, in turn)
      if (obj.op == "self" && obj.num)
        if (const ir::Attr* held = ir::module_attr(p_, static_cast<int32_t>(*obj.num), link::kNamedAtRunTime))
          return call_container(*held, args, loc, fn, depth, true, kwargs);
      if (obj.op == "self" && obj.num)
        if (int32_t r = some_method(static_cast<int32_t>(*obj.num), c.args[0], args, kwargs, loc, fn, depth); r >= 0)
          return r;
    }
    // self._modules[name](h) with a name read at run time: one of the modules registered under such
    // names (each in turn, over the loop that reads the names), else any submodule.
    if (c.op == "getitem" && c.args.size() == 2 && !string_value(c.args[1]) && can_inline(depth))
      if (const FlatNode& t = g_.nodes[static_cast<size_t>(c.args[0])]; t.op == "attr" && t.name == "_modules" &&
                                                                       !t.args.empty() && t.args[0] >= 0) {
        const FlatNode& obj = g_.nodes[static_cast<size_t>(t.args[0])];
        const ir::Attr* held =
            obj.op == "self" && obj.num ? ir::module_attr(p_, static_cast<int32_t>(*obj.num), link::kNamedAtRunTime) : nullptr;
        if (!held) held = submodule_table(c.args[0]);
        if (held) return call_container(*held, args, loc, fn, depth, true, kwargs);
      }
    // `stage = self.stages[i]; stage(h)`: an item of a container of modules at an index read at
    // run time, any of them (each runs in turn over the loop that reads them).
    if (c.op == "getitem" && c.args.size() == 2 && c.args[0] >= 0 && g_.nodes[static_cast<size_t>(c.args[0])].op == "container" &&
        g_.nodes[static_cast<size_t>(c.args[0])].attr && !string_value(c.args[1]) && can_inline(depth)) {
      const ir::Attr* items = g_.nodes[static_cast<size_t>(c.args[0])].attr;
      // `for i in range(len(self.stages)): x = self.stages[i](x)`: the items in turn, each reading
      // what the one before returned, as `for stage in self.stages` runs them.
      if (!args.empty() && args[0] >= 0 && (g_.nodes[static_cast<size_t>(args[0])].flags & kFlatLoopHeader) &&
          counted_index(c.args[1]))
        return call_container(*items, args, loc, fn, depth, true, kwargs);
      FlatNode phi;
      phi.op = "phi";
      phi.loc = loc;
      phi.function = fn;
      phi.flags = kFlatItemJoin;
      for (size_t i = 0; i < items->children.size() && i < 12; ++i)
        if (int32_t r = call_attr(items->children[i], args, kwargs, loc, fn, depth, items->name + "." + items->children[i].name);
            r >= 0)
          phi.args.push_back(r);
      if (phi.args.size() == 1) return phi.args[0];
      if (!phi.args.empty()) return add(std::move(phi));
    }
    // operator.attrgetter("stages.{}")(self): the attribute path read from the object, a part the
    // name leaves open an item of the container there.
    if (c.op == "call" && (c.name == "operator.attrgetter" || c.name == "attrgetter") && c.args.size() == 1 &&
        string_value(c.args[0]) && args.size() == 1 && args[0] >= 0) {
      const FlatNode& obj = g_.nodes[static_cast<size_t>(args[0])];
      if (obj.op == "self" && obj.num) {
        const std::string path = *string_value(c.args[0]);
        const std::string head = path.substr(0, path.find('.'));
        if (const ir::Attr* a = ir::module_attr(p_, static_cast<int32_t>(*obj.num), head)) {
          int32_t v = attr_value(*a, loc, fn, head);
          if (path.find('.') != std::string::npos && g_.nodes[static_cast<size_t>(v)].op == "container")
            v = derived("getitem", {v, opaque("param", {}, loc, false, fn, "index")}, loc, fn);
          return v;
        }
      }
    }
    // operator.itemgetter("a", "b")(batch): (batch["a"], batch["b"]); one key: batch["a"].
    if (c.op == "call" && (c.name == "operator.itemgetter" || c.name == "itemgetter") && !c.args.empty() &&
        args.size() == 1 && args[0] >= 0) {
      std::vector<int32_t> items;
      for (int32_t key : c.args) {
        // (of a mapping the analysis built, `{"logits": y, "span": t}`: the entry itself)
        const int32_t entry = string_value(key) ? mapping_value(args[0], *string_value(key)) : -1;
        items.push_back(entry >= 0 ? entry : derived("getitem", {args[0], key}, loc, fn));
      }
      return items.size() == 1 ? items[0] : derived("tuple", items, loc, fn);
    }
    // operator.methodcaller(name, logits, x)(obj) on an object of a class of the tree: its method
    // `name`, or any of its methods that takes these arguments when the name is not known here.
    if (c.op == "call" && (c.name == "operator.methodcaller" || c.name == "methodcaller") && !c.args.empty() &&
        args.size() == 1 && args[0] >= 0 && g_.nodes[static_cast<size_t>(args[0])].op == "self" &&
        g_.nodes[static_cast<size_t>(args[0])].num && can_inline(depth)) {
      const int32_t cls = static_cast<int32_t>(*g_.nodes[static_cast<size_t>(args[0])].num);
      std::vector<int32_t> extra(c.args.begin() + 1, c.args.end());
      if (const auto name = string_value(c.args[0])) {
        if (int32_t meth = find_method(p_, cls, *name); meth >= 0) {
          extra.insert(extra.begin(), args[0]);
          return inline_fn(meth, extra, c.kwargs, cls, depth + 1, loc);
        }
      } else if (int32_t r = some_method(cls, args[0], extra, c.kwargs, loc, fn, depth); r >= 0) {
        return r;
      }
    }
    // operator.methodcaller("amin", dim=1)(x) made where it is called: x.amin(dim=1).
    if (c.op == "call" && (c.name == "operator.methodcaller" || c.name == "methodcaller") && !c.args.empty() &&
        string_value(c.args[0]) && !args.empty()) {
      bool ip = false;
      const std::string name = *string_value(c.args[0]);
      return method_of(ir::canonical_op(name, &ip), name, args[0], {c.args.begin() + 1, c.args.end()}, c.kwargs, loc, fn);
    }
    // (one held as an attribute, `operator.methodcaller("clamp", 0, 1)`, with the arguments it binds)
    if (c.op == "methodcaller" && !args.empty()) {
      std::vector<int32_t> extra;
      std::vector<std::pair<std::string, int32_t>> kw;
      if (c.attr)
        for (const auto& b : c.attr->bound) {
          const int32_t v = foreign_value(p_.fn(b.function), b.node, loc, fn);
          if (b.name.empty())
            extra.push_back(v);
          else
            kw.emplace_back(b.name, v);
        }
      bool ip = false;
      return method_of(ir::canonical_op(c.name, &ip), c.name, args[0], std::move(extra), std::move(kw), loc, fn);
    }
    if (c.op == "container" && c.attr) {
      const int32_t r = call_container(*c.attr, args, loc, fn, depth, false);
      if (!c.args.empty() && r >= 0 && g_.nodes[static_cast<size_t>(r)].op == "phi" &&
          g_.nodes[static_cast<size_t>(r)].args.size() >= 2) {
        // self.heads[state](f): which entry runs is decided by the key, as a branch decides.
        FlatNode br;
        br.op = "branch";
        br.name = "key";
        br.args = {c.args[0]};
        br.loc = loc;
        br.function = fn;
        const int32_t b = add(std::move(br));
        g_.nodes[static_cast<size_t>(r)].kwargs.emplace_back("cond", b);
      }
      return r;
    }
    if (c.op == "get" && c.args.size() >= 2 && c.args[0] >= 0 && g_.nodes[static_cast<size_t>(c.args[0])].op == "container" &&
        g_.nodes[static_cast<size_t>(c.args[0])].attr && can_inline(depth)) {
      // self.gates.get(name, identity)(h, x): one of the table's entries, or the default.
      const ir::Attr* table = g_.nodes[static_cast<size_t>(c.args[0])].attr;
      std::vector<int32_t> results;
      if (int32_t r = call_container(*table, args, loc, fn, depth, false, kwargs); r >= 0) results.push_back(r);
      if (c.args.size() >= 3)
        if (int32_t r = call_value(c.args[2], args, kwargs, loc, fn, depth + 1); r >= 0) results.push_back(r);
      if (!results.empty()) return join(std::move(results), loc, fn);
    }
    if (c.op == "layer_ref" && c.attr) {
      const ir::LayerInfo* li = ir::torch_layer(c.attr->type);
      FlatNode n;
      n.op = li ? li->op : "module_call";
      // Most torch layers take one input (extra arguments in a shared loop call are not theirs).
      static const std::set<std::string> multi = {
          "multi_head_attention", "bilinear", "transformer", "lstm", "gru", "rnn"};
      if (args.size() > 1 && li && !multi.count(li->op) && !ir::is_loss(li->op)) args.resize(1);
      n.args = std::move(args);
      n.kwargs = std::move(kwargs);
      n.loc = loc;
      n.function = fn;
      n.name = c.name;
      n.attr = c.attr;  // (the layer's construction: a pooling layer's window is in it)
      if (li && li->learned && c.attr->learned && !li->normalisation) n.flags |= kFlatLearned;
      add_fixed_template(*c.attr, n);
      return add(std::move(n));
    }
    if ((c.op == "def" || c.op == "lambda") && c.num && can_inline(depth)) {
      // A bound method (`getattr(self, name)`) carries its receiver as its operand.
      int32_t self_mod = -1;
      // `self.post = [self.scale, ...]`: a method stored bound runs on its instance (the model's own
      // for a method of the model's class).
      if (c.op == "def" && c.args.empty() && c.attr && c.attr->type == "bound_method") {
        const int32_t owner = p_.fn(static_cast<int32_t>(*c.num)).owner_module;
        if (owner >= 0) {
          args.insert(args.begin(), self_node(owner, loc));
          self_mod = owner;
        }
      }
      if (c.op == "def" && !c.args.empty()) {
        args.insert(args.begin(), c.args[0]);
        const FlatNode& r = g_.nodes[static_cast<size_t>(c.args[0])];
        if (r.op == "self" && r.num) self_mod = static_cast<int32_t>(*r.num);
      }
      // (a closure whose maker has returned reads the variables it kept)
      auto env = closures_.find(callee);
      const bool restore = env != closures_.end() &&
                           std::none_of(frames_.begin(), frames_.end(),
                                        [&](const auto& fr) { return fr.first == env->second.first; });
      if (restore) frames_.emplace_back(env->second.first, &env->second.second);
      const int32_t r = inline_fn(static_cast<int32_t>(*c.num), args, kwargs, self_mod, depth + 1, loc);
      if (restore) frames_.erase(frames_.begin() + static_cast<long>(frames_.size()) - 1);
      return r;
    }
    if (c.op == "phi" && c.args.size() == 1) return call_value(c.args[0], args, kwargs, loc, fn, depth);
    // `for proc in self.post: proc(y)` with `post` one callable object or another (what a table
    // lookup picked, kept as a tuple or not): the objects themselves.
    if (c.op == "iter_item" && !c.args.empty() && c.args[0] >= 0) {
      const FlatNode& seq = g_.nodes[static_cast<size_t>(c.args[0])];
      const auto object = [&](int32_t a) { return a >= 0 && g_.nodes[static_cast<size_t>(a)].op == "self"; };
      if (seq.op == "phi" && seq.args.size() > 1 && std::all_of(seq.args.begin(), seq.args.end(), object) &&
          std::none_of(seq.kwargs.begin(), seq.kwargs.end(), [](const auto& kv) { return kv.first == "cond"; }))
        return call_value(c.args[0], args, kwargs, loc, fn, depth);
    }
    // `func(*args)` inside __torch_function__: the torch op the hook intercepted, on its arguments.
    if (c.op == "torch_function_op") return args.empty() ? -1 : derived("torch_op", args, loc, fn);
    // obj.method held as a value (`stack.callback(self.qa.flag_stuck, ...)`): the method, bound.
    if (c.op == "attr" && !c.args.empty() && c.args[0] >= 0 && can_inline(depth)) {
      const FlatNode& obj = g_.nodes[static_cast<size_t>(c.args[0])];
      if (obj.op == "self" && obj.num)
        if (int32_t meth = find_method(p_, static_cast<int32_t>(*obj.num), c.name); meth >= 0) {
          const auto& decos = p_.fn(meth).decorators;  // (a static method takes no receiver)
          if (std::find(decos.begin(), decos.end(), "staticmethod") == decos.end()) args.insert(args.begin(), c.args[0]);
          return inline_fn(meth, args, kwargs, static_cast<int32_t>(*obj.num), depth + 1, loc);
        }
    }
    // self.prep_{site}(x) with no such attribute or method: the class's `__getattr__` answers, and one
    // that hands out `globals()["_" + name]` gives a module-level function whose name fits.
    if (c.op == "attr" && !c.args.empty() && c.args[0] >= 0 && can_inline(depth)) {
      const FlatNode& obj = g_.nodes[static_cast<size_t>(c.args[0])];
      if (obj.op == "self" && obj.num && find_method(p_, static_cast<int32_t>(*obj.num), c.name) < 0)
        if (int32_t r = global_by_getattr(static_cast<int32_t>(*obj.num), c.name, args, kwargs, loc, fn, depth); r >= 0)
          return r;
    }
    if ((c.op == "select" && c.args.size() == 3) || (c.op == "phi" && c.args.size() > 1) || c.op == "may_run") {
      // `run = partial(blk, **kw) if flag else blk; run(x)`: the call runs whichever callable the
      // value holds; each is called and the results merge.
      FlatNode phi;
      phi.op = c.op == "may_run" ? "may_run" : "phi";
      phi.loc = loc;
      phi.function = fn;
      for (size_t i = c.op == "select" ? 1 : 0; i < c.args.size(); ++i)
        if (c.args[i] != callee && can_inline(depth))
          phi.args.push_back(call_value(c.args[i], args, kwargs, loc, fn, depth + 1));
      // Modules of one family called in a loop (`getattr(self, f"stage{i}")(x)`): any of them may
      // be the first, which reads what enters the loop rather than the loop's phi.
      // (`for m in self` over a generator yielding a module, then a container's layers, likewise)
      const bool modules = c.op == "phi" && std::all_of(c.args.begin(), c.args.end(), [&](int32_t a) {
                             const std::string& op = g_.nodes[static_cast<size_t>(a)].op;
                             return op == "self" || op == "container" || op == "layer_ref";
                           });
      if (modules && !args.empty() && args[0] >= 0 &&
          (g_.nodes[static_cast<size_t>(args[0])].flags & kFlatLoopHeader) &&
          !g_.nodes[static_cast<size_t>(args[0])].args.empty()) {
        std::vector<int32_t> first = args;
        first[0] = g_.nodes[static_cast<size_t>(args[0])].args[0];
        for (int32_t m : c.args)
          if (can_inline(depth)) phi.args.push_back(call_value(m, first, kwargs, loc, fn, depth + 1));
      }
      if (phi.args.size() == 1) return phi.args[0];
      if (!phi.args.empty()) return add(std::move(phi));
    }
    if (c.op == "global" && (c.name.starts_with("operator.") || c.name.starts_with("torch."))) {
      // A library function held in a variable (`reduce = operator.and_; reduce(a, b)`): its op.
      FlatNode n;
      n.op = ir::canonical_op(c.name.substr(c.name.rfind('.') + 1));
      n.name = c.name;
      n.args = std::move(args);
      n.kwargs = std::move(kwargs);
      n.loc = loc;
      n.function = fn;
      return add(std::move(n));
    }
    if (c.op == "call" && c.name == "functools.partial" && !c.args.empty()) {
      // partial(blk, *bound, **kw)(x): the bound arguments first, the keywords joined.
      std::vector<int32_t> all(c.args.begin() + 1, c.args.end());
      all.insert(all.end(), args.begin(), args.end());
      auto all_kwargs = c.kwargs;
      all_kwargs.insert(all_kwargs.end(), kwargs.begin(), kwargs.end());
      return call_value(c.args[0], all, all_kwargs, loc, fn, depth);
    }
    if (c.op == "iter_item" && !c.args.empty()) {
      // for blk in self.blocks: x = blk(x) (and for blk in self.blocks[1:], for m in self.children())
      const ir::Attr* it = iterated_container(c.args[0], 0);
      if (!it) it = container_slice(c.args[0]);
      if (!it) it = submodule_table(c.args[0]);
      if (it) return call_container(*it, args, loc, fn, depth, true, kwargs);
      // for fn in [f for _, f in sorted(table)]: y = fn(y) -- a sequence of callables the code
      // builds: any of them (each in turn over the loop)
      if (std::vector<int32_t> items; sequence_items(c.args[0], items, 0) && !items.empty() && items.size() <= 16 &&
                                      can_inline(depth)) {
        FlatNode phi;
        phi.op = "phi";
        phi.loc = loc;
        phi.function = fn;
        phi.flags = kFlatItemJoin;
        for (int32_t item : items)
          if (item != callee && item != c.args[0])
            if (int32_t r = call_value(item, args, kwargs, loc, fn, depth + 1); r >= 0) phi.args.push_back(r);
        if (phi.args.size() == 1) return phi.args[0];
        if (!phi.args.empty()) return add(std::move(phi));
      }
      // for stage in (self.layer1, self.layer2): for blk in stage: x = blk(x) -- a block of any of
      // the containers the outer loop walks.
      const FlatNode outer = g_.nodes[static_cast<size_t>(c.args[0])];
      if (outer.op == "iter_item" && !outer.args.empty() && outer.args[0] >= 0) {
        const FlatNode seq = g_.nodes[static_cast<size_t>(outer.args[0])];
        FlatNode phi;
        phi.op = "phi";
        phi.loc = loc;
        phi.function = fn;
        if (seq.op == "tuple" || seq.op == "list")
          for (int32_t e : seq.args) {
            const FlatNode& en = g_.nodes[static_cast<size_t>(e)];
            if (en.op == "container" && en.attr && can_inline(depth))
              if (int32_t r = call_container(*en.attr, args, loc, fn, depth, true, kwargs); r >= 0) phi.args.push_back(r);
          }
        if (phi.args.size() == 1) return phi.args[0];
        if (!phi.args.empty()) return add(std::move(phi));
      }
    }
    if (c.op == "getitem" && !c.args.empty() && g_.nodes[static_cast<size_t>(c.args[0])].op == "iter_item") {
      // for name, fn in self.table.items(): y = fn(y) -- the value half of each entry (and of
      // enumerate(self.blocks), of vars(self)["_modules"].items()).
      const int32_t items = g_.nodes[static_cast<size_t>(c.args[0])].args.empty()
                                ? -1
                                : g_.nodes[static_cast<size_t>(c.args[0])].args[0];
      const ir::Attr* it = items < 0 ? nullptr : iterated_container(items, 0);
      if (!it && items >= 0) it = submodule_table(items);
      if (it && name_guard_) it = children_passing(*it, *name_guard_);
      // for _, _, fn in self.queue (entries `(priority, name, fn)`): the k-th part of each entry.
      if (const auto k = g_.nodes[static_cast<size_t>(c.args[1])].num; it && k && *k >= 0 && *k < 16)
        if (const ir::Attr* part = tuple_parts(*it, static_cast<size_t>(*k))) it = part;
      if (it) return call_container(*it, args, loc, fn, depth, true, kwargs);
    }
    // self.ops[k](h, x) with a key known only at run time (read in a closure or lambda, where the
    // table is a value): any entry of the table may run.
    if (c.op == "getitem" && c.args.size() == 2 && !string_value(c.args[1]) &&
        g_.nodes[static_cast<size_t>(c.args[0])].op == "container" && g_.nodes[static_cast<size_t>(c.args[0])].attr &&
        !g_.nodes[static_cast<size_t>(c.args[0])].attr->children.empty())
      return call_container(*g_.nodes[static_cast<size_t>(c.args[0])].attr, args, loc, fn, depth, true, kwargs);
    // An unknown callable (a model passed in, a module out of a container loop, a closure
    // argument): assume it applies learned weights, so nothing is reported on a guess; and when the
    // file takes few functions that take these arguments as values, it may be one of them.
    bool learned = c.op != "const";
    // (a module handed to the model, an attribute of it, an input: a model part, not a table entry)
    const bool model_part = c.op == "module_arg" || c.op == "input" || c.op == "param" || c.op == "module_output" ||
                            (c.op == "attr" && c.args.empty());
    const std::vector<int32_t> escaped =
        learned && !model_part ? escaped_call(args, kwargs, loc, fn, depth) : std::vector<int32_t>{};
    args.insert(args.begin(), callee);
    // (an entry of a table with candidates is one of them: not taken as learned, which would make
    // a result it feeds back into a loop look re-learned)
    const bool table_entry = !escaped.empty() && (c.op == "getitem" || c.op == "get" || global_table_element(c));
    const int32_t unknown = opaque("call_value", args, loc, learned && !table_entry, fn);
    if (escaped.empty()) return unknown;
    // (not a phi: which function runs is not decided by the data, so no arm is a selection)
    std::vector<int32_t> all{unknown};
    all.insert(all.end(), escaped.begin(), escaped.end());
    return derived("may_run", std::move(all), loc, fn);
  }

  // `for fn in TABLE.get(key, ())` / `for fn in TABLE[key]`: an element of what a module-level
  // table holds (a registry of lists of callables), not a model part.
  bool global_table_element(const FlatNode& c) const {
    if (c.op != "iter_item" || c.args.empty() || c.args[0] < 0) return false;
    const FlatNode& seq = g_.nodes[static_cast<size_t>(c.args[0])];
    return (seq.op == "call" && seq.name.ends_with(".get") && !seq.args.empty() &&
            p_.global_binding(seq.name.substr(0, seq.name.size() - 4)).first >= 0);
  }

  // The results of calling, with these arguments, each function the calling code's file (or the
  // root's) takes as a value (see SourceFile::escaped_functions) and whose parameters fit them;
  // none when more than a few fit (a large library's tables say nothing about this call).
  std::vector<int32_t> escaped_call(const std::vector<int32_t>& args,
                                    const std::vector<std::pair<std::string, int32_t>>& kwargs, const ir::Loc& loc,
                                    int32_t fn, int depth) {
    if (!can_inline(depth) || fn < 0) return {};
    std::vector<int32_t> fitting;
    for (int32_t file : {p_.fn(fn).file, p_.fn(g_.root.function).file}) {
      if (file < 0) continue;
      for (int32_t g : p_.file(file).escaped_functions)
        if (!active_.count(g) && std::find(fitting.begin(), fitting.end(), g) == fitting.end() &&
            takes(p_.fn(g), args.size(), kwargs))
          fitting.push_back(g);
    }
    if (fitting.size() > 4) return {};
    std::vector<int32_t> results;
    for (int32_t g : fitting)
      if (int32_t r = inline_fn(g, args, kwargs, -1, depth + 1, loc); r >= 0) results.push_back(r);
    return results;
  }

  // Whether `f` accepts `positional` arguments and these keywords.
  static bool takes(const ir::Function& f, size_t positional,
                    const std::vector<std::pair<std::string, int32_t>>& kwargs) {
    size_t required = 0, total = 0;
    bool rest = false, any_keyword = false;
    for (ir::NodeId pn : f.param_nodes) {
      bool star = false, double_star = false, has_default = false;
      for (const auto& [k, v] : f.node(pn).kwargs) {
        star |= k == "star";
        double_star |= k == "double_star";
        has_default |= k == "default";
      }
      rest |= star;
      any_keyword |= double_star;
      if (star || double_star) continue;
      ++total;
      if (!has_default) ++required;
    }
    if (positional + kwargs.size() < required || (positional > total && !rest)) return false;
    for (const auto& [k, v] : kwargs)
      if (!any_keyword && std::find(f.params.begin(), f.params.end(), k) == f.params.end()) return false;
    return true;
  }

  // data.method(...) with `data` cast to a tensor subclass of the tree (see as_subclass): that
  // class's method, `self` bound to the data (args[0]); -1 when the class has no such method.
  int32_t tensor_subclass_call(const std::string& method, const std::vector<int32_t>& args,
                               const std::vector<std::pair<std::string, int32_t>>& kwargs, const ir::Loc& loc,
                               int depth) {
    if (args.empty() || !can_inline(depth)) return -1;
    auto tc = tensor_class_.find(args[0]);
    if (tc == tensor_class_.end()) return -1;
    const int32_t meth = find_method(p_, tc->second, method);
    return meth >= 0 ? inline_fn(meth, args, kwargs, -1, depth + 1, loc) : -1;
  }

  // See call_value: the methods of `cls` a call through an unknown name may run, each called on
  // `obj` with the arguments, joined; -1 when none (or too many) fit.
  int32_t some_method(int32_t cls, int32_t obj, const std::vector<int32_t>& args,
                      const std::vector<std::pair<std::string, int32_t>>& kwargs, const ir::Loc& loc, int32_t fn,
                      int depth) {
    std::vector<int32_t> fitting, decorated;
    for (int32_t c : ir::mro(p_, cls))
      for (const auto& [name, g] : p_.mod(c).methods) {
        const ir::Function& m = p_.fn(g);
        if (name.starts_with("__") || name == "forward" || active_.count(g) || m.param_nodes.empty()) continue;
        if (!takes(m, args.size() + 1, {})) continue;  // (+1: the receiver)
        if (std::find(fitting.begin(), fitting.end(), g) != fitting.end()) continue;
        fitting.push_back(g);
        if (!m.decorators.empty() && m.wrapper < 0) decorated.push_back(g);
      }
    const std::vector<int32_t>& run = !decorated.empty() ? decorated : fitting;
    if (run.empty() || run.size() > 4) return -1;
    std::vector<int32_t> results;
    for (int32_t g : run) {
      std::vector<int32_t> a{obj};
      a.insert(a.end(), args.begin(), args.end());
      if (int32_t r = inline_fn(g, a, kwargs, cls, depth + 1, loc); r >= 0) results.push_back(r);
    }
    return results.empty() ? -1 : join(std::move(results), loc, fn);
  }

  // Calls an attribute and, when a constructor flag chose between values for it, each alternative
  // (every arm of the flag is a configuration the model can be built in); the results merge.
  int32_t call_attr(const ir::Attr& attr, const std::vector<int32_t>& args,
                    const std::vector<std::pair<std::string, int32_t>>& kwargs, const ir::Loc& loc, int32_t fn,
                    int depth, const std::string& name) {
    const bool bound = binds_arguments(attr);
    auto call_one = [&](const ir::Attr& a) {
      if (a.function >= 0 && a.bound.empty() && bound && a.type != "bound_method" && can_inline(depth))
        return inline_fn(a.function, args, kwargs, -1, depth + 1, loc);
      if (a.function < 0 || a.bound.empty() || !can_inline(depth))
        return call_value(attr_value(a, loc, fn, name), args, kwargs, loc, fn, depth);
      // functools.partial(fn, a, k=v): the bound arguments come first / join the keywords.
      std::vector<int32_t> all_args;
      auto all_kwargs = kwargs;
      for (const auto& b : a.bound) {
        int32_t v = foreign_value(p_.fn(b.function), b.node, loc, fn);
        if (b.name.empty())
          all_args.push_back(v);
        else
          all_kwargs.emplace_back(b.name, v);
      }
      all_args.insert(all_args.end(), args.begin(), args.end());
      return inline_fn(a.function, all_args, all_kwargs, -1, depth + 1, loc);
    };
    // Functions handed to the constructor at several construction sites: each is called in the
    // frame of its site (`Lambda(gate)` in a builder), which the trace then shows.
    const bool per_site = attr.passed_in && function_choices(attr) && !bound && attr.loc.valid();
    if (per_site) {
      ir::Attr first = attr;
      first.alternatives.clear();
      owned_.push_back(std::make_unique<ir::Attr>(std::move(first)));
    }
    const ir::Attr& head = per_site ? *owned_.back() : attr;
    // (a partial handed in from outside, `m.post.append(partial(fn, k=v))`: made where it was put)
    const bool partial_in = !per_site && attr.passed_in && !attr.bound.empty() && attr.loc.valid();
    const int32_t r = per_site     ? with_frame(attr.loc, [&] { return call_one(head); })
                      : partial_in ? with_frame(attr.loc, [&] { return call_one(attr); })
                                   : call_one(attr);
    // (callables chosen one of several ways came back from attr_value as one phi, called above,
    // unless some bind arguments: then each is called with its own)
    if (attr.alternatives.empty() || (function_choices(attr) && !bound && !per_site)) return r;
    FlatNode phi;
    phi.op = "phi";
    phi.loc = loc;
    phi.function = fn;
    // (which site's function an instance holds is configuration: each one's own ops integrate)
    if (per_site) phi.flags = kFlatItemJoin;
    if (r >= 0) phi.args.push_back(r);
    for (const auto& alt : attr.alternatives)
      if (int32_t x = alt.loc.valid() ? with_frame(alt.loc, [&] { return call_one(alt); }) : call_one(alt); x >= 0)
        phi.args.push_back(x);
    if (phi.args.size() == 1) return phi.args[0];
    return add(std::move(phi));
  }

  // Calls the container's children in order, the output of one feeding the next (nn.Sequential, or
  // `for blk in self.blocks: x = blk(x, ...)` over a ModuleList); other arguments go to every child.
  // `kwargs` of a loop call (`blk(x, image=image)`) go to every child, as the loop passes them.
  // A torch layer (or a Sequential of them) whose forward takes one tensor.
  static bool single_input_layer(const ir::Attr& a) {
    if (a.kind == ir::AttrKind::Container) return a.type == "Sequential";
    if (a.kind != ir::AttrKind::Layer) return false;
    const ir::LayerInfo* li = ir::torch_layer(a.type);
    static const std::set<std::string_view> several = {
        "lstm", "gru", "rnn", "lstm_cell", "gru_cell", "rnn_cell", "multi_head_attention", "transformer",
        "transformer_encoder", "transformer_decoder", "transformer_encoder_layer", "transformer_decoder_layer",
        "bilinear", "cosine_similarity", "pairwise_distance"};
    return li && !several.count(li->op);
  }

  int32_t call_container(const ir::Attr& container, std::vector<int32_t> args, const ir::Loc& loc, int32_t fn,
                         int depth, bool iterated, const std::vector<std::pair<std::string, int32_t>>& kwargs = {}) {
    // A dict of callables called by a key the analysis cannot fold (self.table[name](x), a ModuleDict
    // indexed by a config string) may run any of them.
    // (`for stage in self.stages.values(): x = stage(x)` over a ModuleDict of modules walks them in
    // order, as a ModuleList's are)
    const bool walked_modules =
        iterated && container.type == "ModuleDict" && !container.children.empty() &&
        std::all_of(container.children.begin(), container.children.end(), [](const ir::Attr& c) {
          return c.kind == ir::AttrKind::Submodule || c.kind == ir::AttrKind::Layer || c.kind == ir::AttrKind::Container;
        });
    bool keyed = (container.type == "dict" || container.type == "ModuleDict") && !walked_modules;
    // (`for fn in self.steps: x = fn(x)`, the loop's value carried from one to the next: in turn,
    // as the blocks of a ModuleList run, below)
    const bool carried = iterated && !keyed && !args.empty() && args[0] >= 0 &&
                         (g_.nodes[static_cast<size_t>(args[0])].flags & kFlatLoopHeader) &&
                         container.children.size() <= 12 && !container.children.empty() &&
                         container.children[0].name != "*";
    if ((iterated || keyed) && (container.type == "list" || container.type == "tuple" || keyed) &&
        !container.children.empty() && !carried) {
      // for f in self.processors: y = f(ids, y) -- plain callables, each applied to the loop's values.
      FlatNode phi;
      phi.op = "phi";
      phi.loc = loc;
      phi.function = fn;
      phi.flags = kFlatItemJoin;
      for (size_t i = 0; i < container.children.size() && i < 12; ++i) {
        const auto& child = container.children[i];
        // (`for name, mod in self.named_children(): y = mod(y, ids)`: a layer that takes one tensor
        // is not what such a call runs)
        if (keyed && args.size() + kwargs.size() >= 2 && single_input_layer(child)) continue;
        int32_t r = call_attr(child, args, kwargs, loc, fn, depth, container.name + "." + child.name);
        if (r >= 0) phi.args.push_back(r);
      }
      if (phi.args.size() == 1) return phi.args[0];
      return add(std::move(phi));
    }
    bool sequential = container.type == "Sequential" || iterated;
    if (!sequential || container.children.empty())
      return opaque("module_call", args, loc, container.learned || container.children.empty(), fn, container.name);
    int32_t x = args.empty() ? -1 : args[0];
    // `for blk in self: x = blk(x)` unrolled here: the first block reads what enters the loop, not
    // the loop's phi (which its back-edge later joins with the last block's output).
    size_t carry = SIZE_MAX;
    if (iterated && x >= 0 && (g_.nodes[static_cast<size_t>(x)].flags & kFlatLoopHeader) &&
        !g_.nodes[static_cast<size_t>(x)].args.empty()) {
      const bool several =
          container.children.size() > 1 || (!container.children.empty() && container.children[0].name == "*");
      if (several && container.learned) {
        carry = g_.layer_loop_carries.size();
        g_.layer_loop_carries.push_back(x);
        g_.layer_loop_results.push_back(-1);
      }
      x = g_.nodes[static_cast<size_t>(x)].args[0];
    }
    size_t limit = container.children.size() > 12 ? 2 : container.children.size();
    for (size_t i = 0; i < limit; ++i) {
      const auto& child = container.children[i];
      std::vector<int32_t> a;
      if (x >= 0) a.push_back(x);
      for (size_t k = 1; k < args.size(); ++k) a.push_back(args[k]);
      x = call_attr(child, a, iterated ? kwargs : std::vector<std::pair<std::string, int32_t>>{}, loc, fn, depth,
                    container.name + "." + child.name);
    }
    // (a container of one entry standing for every element, `*`, runs that element once: what it
    // returns does reach the next element)
    if (carry != SIZE_MAX && limit == container.children.size() && container.children[0].name != "*")
      g_.layer_loop_results[carry] = x;
    return x;
  }

  // A helper whose body makes a tensor from factories and reads no parameters, modules or globals
  // beyond its arguments.
  static bool builds_constant_tensor(const ir::Function& h) {
    bool factory = false;
    for (const auto& w : h.nodes) {
      if (w.op == "call_value" || w.op == "module_call" || w.op == "free" || (w.flags & ir::kLearned)) return false;
      if (w.op == "attr" && !w.args.empty() && h.node(w.args[0]).op == "param" && h.node(w.args[0]).num &&
          *h.node(w.args[0]).num == 0 && h.owner_module >= 0)
        return false;  // self.weight
      if (ir::is_tensor_factory(w.op)) factory = true;
    }
    return factory;
  }

  // The value of a node of an enclosing function when it is a constant or built only from literals
  // and tensor factories (no parameters): a const node or a hard-coded tensor.
  int32_t outer_constant(const ir::Function& outer, ir::NodeId id, const ir::Loc& loc, int32_t fid) {
    const ir::Node& v = outer.node(id);
    if (v.op == "param") return -1;  // a parameter's number is its position, not a value
    if (v.num) return constant(v.name, *v.num, loc, fid);
    // torch.tensor(1e-4): a scalar tensor holds its number.
    if ((v.op == "tensor" || v.op == "as_tensor") && !v.args.empty() && outer.node(v.args[0]).op != "param")
      if (const auto& x = outer.node(v.args[0]).num) return constant(outer.node(v.args[0]).name, *x, loc, fid);
    FlatNode c;
    c.loc = loc;
    c.function = fid;
    c.name = v.name;
    bool factory = false;
    std::vector<ir::NodeId> work{id};
    std::set<ir::NodeId> seen;
    while (!work.empty()) {
      ir::NodeId cur = work.back();
      work.pop_back();
      if (cur < 0 || !seen.insert(cur).second || seen.size() > 64) continue;
      const ir::Node& w = outer.node(cur);
      // kernel = make_kernel(ids): a helper that builds a tensor from literals and its arguments.
      const bool builder = (w.op == "call" || w.op == "call_value") && w.target_function >= 0 &&
                           builds_constant_tensor(p_.fn(w.target_function));
      if (!builder && (w.op == "call_value" || w.op == "module_call" || w.op == "iter_item")) return -1;
      if (ir::is_tensor_factory(w.op) || w.op == "frombuffer" || w.op == "from_numpy") factory = true;
      if (builder) factory = true;
      work.insert(work.end(), w.args.begin(), w.args.end());
    }
    if (!factory) return -1;
    c.op = "attr";
    c.flags = kFlatConstTensor;
    return add(std::move(c));
  }

  // config.stop_ids with `config` an object handed to the constructor, its class unknown: the field
  // as the plain classes of the tree defining it have it, when they agree (the one class that
  // defines it, or several that all hold a stored sequence there).
  int32_t unknown_object_field(const std::string& name, const ir::Loc& loc, int32_t fid) {
    auto fields = ir::fields_named(p_, name);
    if (fields.size() == 1) return attr_value(*fields.front(), loc, fid, name);
    if (fields.empty()) return record_field(name, loc, fid);
    if (!std::all_of(fields.begin(), fields.end(), [](const ir::Attr* a) { return a->type == "sequence"; })) return -1;
    FlatNode seq;
    seq.op = "attr";
    seq.name = name;
    seq.loc = loc;
    seq.function = fid;
    seq.flags = kFlatSequence;
    return add(std::move(seq));
  }

  // A field of the one module-level namespace record that has it (a configuration object reached
  // without its class: through a constructor argument or a `__getattr__` fallback).
  int32_t record_field(const std::string& name, const ir::Loc& loc, int32_t fid) {
    auto [owner, value] = ir::namespace_record_field(p_, name);
    return owner >= 0 && value >= 0 ? foreign_value(p_.fn(owner), value, loc, fid, 1) : -1;
  }

  // A literal sequence of numbers, or of rows of numbers (`((0.1, 0.2), (0.3, 0.4))`).
  static bool numbers_only(const ir::Function& f, ir::NodeId id, int depth) {
    const ir::Node& v = f.node(id);
    if (v.num && v.op != "param") return true;
    return depth < 3 && (v.op == "tuple" || v.op == "list") && !v.args.empty() &&
           std::all_of(v.args.begin(), v.args.end(), [&](ir::NodeId a) { return numbers_only(f, a, depth + 1); });
  }

  // A value written in another function (a constructor, a factory's caller) that a partial binds:
  // a literal, a field of a config object or of the module, a literal sequence, a hard-coded
  // tensor; anything else is an unknown parameter.
  int32_t foreign_value(const ir::Function& owner, ir::NodeId id, const ir::Loc& loc, int32_t fid, int depth = 0) {
    const ir::Node& v = owner.node(id);
    if (v.num && v.op != "param") return constant(v.name, *v.num, loc, fid);
    if (v.op == "attr" && !v.args.empty() && depth < 4)
      if (int32_t cls = ir::instance_class(p_, owner, v.args[0]); cls >= 0)
        if (const ir::Attr* a = ir::module_attr(p_, cls, v.name)) return attr_value(*a, loc, fid, v.name);
    if ((v.op == "tuple" || v.op == "list") && v.args.size() >= 2 && numbers_only(owner, id, 0)) {
      FlatNode seq;
      seq.op = "attr";
      seq.name = v.name;
      seq.loc = loc;
      seq.function = fid;
      seq.flags = kFlatSequence;
      return add(std::move(seq));
    }
    // `marker=_TARGET if screen else None`: the configuration that binds something binds that.
    if (v.op == "select" && v.args.size() == 3 && depth < 4) {
      auto none = [&](ir::NodeId a) { return a < 0 || (owner.node(a).op == "const" && owner.node(a).name == "None"); };
      if (none(v.args[1]) != none(v.args[2]))
        return foreign_value(owner, none(v.args[1]) ? v.args[2] : v.args[1], loc, fid, depth + 1);
    }
    if (v.op == "global") {
      if (int32_t c = global_constant(v, fid); c >= 0) return c;
      if (auto [mfi, bound] = p_.global_binding(v.name); mfi >= 0 && bound >= 0 && depth < 4)
        return foreign_value(p_.fn(mfi), bound, loc, fid, depth + 1);
    }
    // cfg["phrase"] with cfg a module-level dict, or a parameter defaulting to one: that entry.
    if (v.op == "getitem" && v.args.size() == 2 && depth < 4 && owner.node(v.args[1]).op == "const" &&
        !owner.node(v.args[1]).num) {
      const ir::Node* dict = &owner.node(v.args[0]);
      if (dict->op == "param")
        for (const auto& [k, d] : dict->kwargs)
          if (k == "default" && d >= 0) dict = &owner.node(d);
      if (dict->op == "global")
        if (auto [mfi, bound] = p_.global_binding(dict->name); mfi >= 0 && bound >= 0)
          if (ir::NodeId e = ir::dict_entry(p_.fn(mfi), bound, owner.node(v.args[1]).name); e >= 0)
            return foreign_value(p_.fn(mfi), e, loc, fid, depth + 1);
    }
    // (`SimpleNamespace(k=v, ...)`: a record whose fields are its keywords)
    const bool record = v.op == "call" && ir::is_namespace_record(v.name);
    if ((v.op == "call" || v.op == "call_value") && (v.target_module >= 0 || record)) {
      FlatNode obj;
      obj.op = "instance";
      obj.name = record ? v.name : p_.mod(v.target_module).name;
      obj.num = record ? -1 : v.target_module;
      obj.loc = loc;
      obj.function = fid;
      obj.src_function = owner.id;
      obj.src_node = id;
      return add(std::move(obj));
    }
    if (int32_t c = outer_constant(owner, id, loc, fid); c >= 0) return c;
    return opaque("param", {}, loc, false, fid, v.name);
  }

  // getattr(self, f"stage{i}") with i unknown (the name a template): any attribute whose name fits
  // (`stage0` registered by name beside the `stage{i}` of a loop), each one the call may read; -1
  // when the name is no template or nothing else fits.
  // (Methods whose names fit are read bound to `receiver`: `getattr(self, "_" + cfg.mode)`.)
  int32_t fitting_attrs(int32_t mod, const std::string& name, const ir::Loc& loc, int32_t fid, int32_t receiver) {
    if (name.find("{}") == std::string::npos) return -1;
    std::vector<const ir::Attr*> fitting;
    std::vector<int32_t> methods;
    for (int32_t c : ir::mro(p_, mod)) {
      for (const ir::Attr& a : p_.mod(c).attrs)
        if ((a.name == name || ir::fits_template(name, a.name)) && fitting.size() < 16) fitting.push_back(&a);
      for (const auto& [m, fn] : p_.mod(c).methods)
        if (ir::fits_template(name, m) && !m.starts_with("__") && methods.size() < 8) methods.push_back(fn);
    }
    std::sort(methods.begin(), methods.end());
    if (fitting.size() + methods.size() < 2) return -1;
    std::vector<int32_t> values;
    for (const ir::Attr* a : fitting) values.push_back(attr_value(*a, loc, fid, a->name));
    for (int32_t fn : methods) {
      FlatNode d;
      d.op = "def";
      d.num = fn;
      if (receiver >= 0) d.args = {receiver};
      d.loc = loc;
      d.function = fid;
      d.name = p_.fn(fn).name;
      values.push_back(add(std::move(d)));
    }
    return join(std::move(values), loc, fid);
  }

  // `def __init__(self, config=CONFIG): self.config = config` with CONFIG a record built at module
  // level: a field of the constructor argument is the default's field (what an instance built
  // without the argument holds; -1 when there is no such default).
  int32_t argument_default_field(const FlatNode& arg, const std::string& field, const ir::Loc& loc, int32_t fid) {
    if (!arg.attr || arg.attr->init_node < 0) return -1;
    for (const auto& m : p_.modules) {
      if (m.attrs.empty() || arg.attr < &m.attrs.front() || arg.attr > &m.attrs.back()) continue;
      const int32_t init = m.method("__init__");
      if (init < 0) return -1;
      const ir::Function& f = p_.fn(init);
      if (static_cast<size_t>(arg.attr->init_node) >= f.nodes.size()) return -1;
      const ir::Node& param = f.node(arg.attr->init_node);
      if (param.op != "param") return -1;
      for (const auto& [k, d] : param.kwargs) {
        if (k != "default" || d < 0) continue;
        const ir::Function* owner = &f;
        ir::NodeId v = d;
        for (int hop = 0; hop < 3 && owner->node(v).op == "global"; ++hop) {  // CONFIG: what it is bound to
          auto [mfi, bound] = p_.global_binding(owner->node(v).name);
          if (mfi < 0 || bound < 0) break;
          owner = &p_.fn(mfi);
          v = bound;
        }
        const int32_t obj = foreign_value(*owner, v, loc, fid, 1);
        if (obj < 0) return -1;
        const FlatNode& o = g_.nodes[static_cast<size_t>(obj)];
        if (o.op == "instance" && o.src_function >= 0) return instance_field(o, field, loc, fid);
      }
      return -1;
    }
    return -1;
  }

  // A field of an object built outside the root: the construction's argument for it, else the
  // class's default (a dataclass / NamedTuple field, a class attribute).
  int32_t instance_field(const FlatNode& obj, const std::string& field, const ir::Loc& loc, int32_t fid) {
    const ir::Function& owner = p_.fn(obj.src_function);
    const ir::Node& call = owner.node(obj.src_node);
    const int32_t cls = static_cast<int32_t>(*obj.num);
    for (const auto& [k, a] : call.kwargs)
      if (k == field) return foreign_value(owner, a, loc, fid, 1);
    if (cls < 0) return -1;  // a namespace record: keywords only
    // Positional: the constructor's parameters after self, or the fields in declaration order.
    std::vector<std::string> order;
    if (int32_t init = find_method(p_, cls, "__init__"); init >= 0) {
      order.assign(p_.fn(init).params.begin() + (p_.fn(init).params.empty() ? 0 : 1), p_.fn(init).params.end());
    } else {
      order = p_.mod(cls).fields;
    }
    const size_t first = call.op == "call_value" ? 1 : 0;  // call_value: args[0] is the class
    for (size_t i = first; i < call.args.size() && i - first < order.size(); ++i)
      if (order[i - first] == field && owner.node(call.args[i]).op != "starred")
        return foreign_value(owner, call.args[i], loc, fid, 1);
    if (const ir::Attr* a = ir::module_attr(p_, cls, field)) return attr_value(*a, loc, fid, field);
    return -1;
  }

  // Whether `attr` of decorator class `cls` holds the decorated function: its __init__ stores its
  // first argument there (`def __init__(self, fn): self.fn = fn`).
  bool holds_decorated(int32_t cls, const ir::Attr& attr) const {
    int32_t init = find_method(p_, cls, "__init__");
    if (init < 0 || p_.fn(init).params.size() < 2) return false;
    return attr.type == "argument:" + p_.fn(init).params[1];
  }

  // A parameter of a decorator factory read in the wrapper it returns (`@with_cue(SPEC)` ...
  // `spec.template` inside the wrapper): the argument the decorator line passes.
  int32_t decorator_argument(const ir::Node& n, const ir::Loc& loc, int32_t fid) {
    for (const auto& [wrapper_parent, original] : wrapped_) {
      const ir::Function& o = p_.fn(original);
      if (o.decorator_call < 0 || o.decorator_scope < 0) continue;
      const ir::Function& scope = p_.fn(o.decorator_scope);
      const ir::Node& call = scope.node(o.decorator_call);
      // (`functools.partial(_deco, k=v)` used as the decorator: `_deco`'s parameters after the
      // function it wraps are what the partial binds)
      const bool partial = (call.name == "functools.partial" || call.name == "partial") && !call.args.empty();
      const int32_t target = partial ? scope.node(call.args[0]).target_function : call.target_function;
      if (target != n.target_function || target < 0) continue;
      const ir::Function& factory = p_.fn(target);
      for (const auto& [k, a] : call.kwargs)
        if (k == n.name) return foreign_value(scope, a, loc, fid);
      auto pos = std::find(factory.params.begin(), factory.params.end(), n.name);
      size_t i = static_cast<size_t>(pos - factory.params.begin());  // (a partial's args[0] is the function)
      if (pos != factory.params.end() && i < call.args.size() && scope.node(call.args[i]).op != "starred" &&
          (!partial || i >= 1))
        return foreign_value(scope, call.args[i], loc, fid);
    }
    return -1;
  }

  // The text of a string constant of the flat graph.
  std::optional<std::string> string_value(int32_t id) const {
    if (id < 0) return std::nullopt;
    const FlatNode& n = g_.nodes[static_cast<size_t>(id)];
    if (n.op != "const" || n.num || n.name.empty() || n.name == "None" || n.name == "...") return std::nullopt;
    return n.name;
  }

  // An attribute a pre-hook filled with the module's input: a root input here.
  // Inlines the pre-hook that wrote a stash, on a fresh root input, and returns the stored value.
  int32_t stashed_value(const Root::Stash& st, const ir::Loc& loc, int depth) {
    if (!can_inline(depth) || capture_fn_ >= 0) return -1;
    const ir::Function& w = p_.fn(st.writer);
    std::vector<int32_t> args;
    for (size_t i = 0; i < w.param_nodes.size(); ++i) {
      const ir::Node& pn = w.node(w.param_nodes[i]);
      args.push_back(i <= st.bound ? opaque("param", {}, pn.loc, false, w.id, pn.name) : input_attr(pn.name, loc, w.id));
    }
    capture_fn_ = st.writer;
    capture_node_ = st.value;
    captured_ = -1;
    inline_fn(st.writer, args, {}, -1, depth + 1, loc);
    capture_fn_ = -1;
    return captured_;
  }

  // A layer with a stored template for weights (link::kFixedTemplate) is `F.conv2d(x, TEMPLATE)`:
  // the template joins the call as its operand.
  void add_fixed_template(const ir::Attr& layer, FlatNode& call) {
    if (layer.text != link::kFixedTemplate || call.args.empty()) return;
    FlatNode w;
    w.op = "attr";
    w.name = call.name + ".weight";
    w.loc = layer.loc;
    w.function = call.function;
    w.flags = kFlatConstTensor;
    call.args.resize(1);
    call.args.push_back(add(std::move(w)));
  }

  // The one stash a pre-hook leaves as attribute `key` of a module (nullptr when none or several).
  const Root::Stash* sole_attribute_stash(const std::string& key) const {
    const Root::Stash* found = nullptr;
    for (const auto& st : g_.root.stashes)
      if (st.module >= 0 && st.member.empty() && st.key == key) {
        if (found) return nullptr;
        found = &st;
      }
    return found;
  }

  // An index a `for i in range(...)` loop counts (also through a join, `key` of a `__getitem__` that
  // maps names to positions).
  bool counted_index(int32_t v) const {
    if (v < 0) return false;
    const FlatNode& n = g_.nodes[static_cast<size_t>(v)];
    auto counted = [&](int32_t x) {
      if (x < 0) return false;
      const FlatNode& it = g_.nodes[static_cast<size_t>(x)];
      if (it.op != "iter_item" || it.args.empty() || it.args[0] < 0) return false;
      const FlatNode& over = g_.nodes[static_cast<size_t>(it.args[0])];
      return over.op == "call" && over.name == "range";
    };
    if (counted(v)) return true;
    return n.op == "phi" && std::any_of(n.args.begin(), n.args.end(), counted);
  }

  // `self.ctx["k"]`, `self.ctx.get("k")`, `self.ctx.pop("k")` in a method of a class whose bound-method
  // pre-hook stored an entry under "k" in that attribute: the stored value, computed from the input.
  template <typename Map>
  int32_t member_stash_read(const ir::Function& f, const ir::Node& n, Map m, int depth) {
    ir::NodeId cell = -1, key = -1;
    if ((n.op == "getitem" || n.op == "get") && n.args.size() >= 2) {
      cell = n.args[0];
      key = n.args[1];
    } else if (n.op == "module_call" && !n.args.empty() &&
               (n.name.ends_with(".pop") || n.name.ends_with(".get"))) {
      for (const auto& [k, v] : n.kwargs)
        if (k == "self") cell = v;
      key = n.args[0];
    }
    if (cell < 0 || f.node(cell).op != "attr" || f.node(cell).args.size() != 1 || f.node(key).op != "const")
      return -1;
    const ir::Node& attr = f.node(cell);
    int32_t cls = module_of_receiver(f, attr.args[0], m(attr.args[0]));
    if (cls < 0) return -1;
    for (const auto& st : g_.root.stashes)
      if (st.module >= 0 && st.member == attr.name && st.key == f.node(key).name && is_a(cls, st.module))
        if (int32_t v = stashed_value(st, n.loc, depth); v >= 0) return v;
    return -1;
  }

  // The module class a receiver is: `self` of a method, or the module argument of a function hook
  // (its first parameter, in the hook the root is).
  int32_t module_of_receiver(const ir::Function& f, ir::NodeId id, int32_t flat) const {
    if (flat >= 0) {
      const FlatNode& b = g_.nodes[static_cast<size_t>(flat)];
      if (b.op == "self" && b.num) return static_cast<int32_t>(*b.num);
    }
    const bool hook = g_.root.kind == RootKind::ForwardHook || g_.root.kind == RootKind::PreHook;
    if (hook && !g_.root.hook_object && f.id == g_.root.function && !f.param_nodes.empty() && f.param_nodes[0] == id)
      return g_.root.self_module;
    return -1;
  }

  // Whether `id` is the module argument of the function hook the root is.
  bool installed_attribute_hook(const ir::Function& f, ir::NodeId id) const {
    const bool hook = g_.root.kind == RootKind::ForwardHook || g_.root.kind == RootKind::PreHook;
    return hook && !g_.root.hook_object && g_.root.installer >= 0 && f.id == g_.root.function &&
           !f.param_nodes.empty() && f.param_nodes[0] == id;
  }

  // The stored tensor the hook's installer set as attribute `name` of the hooked module; -1 when none.
  int32_t installed_attribute(const std::string& name, const ir::Loc& loc, int32_t fid) {
    const ir::Function& inst = p_.fn(g_.root.installer);
    for (const ir::Node& s : inst.nodes)
      if (s.op == "setattr" && s.name == name && s.args.size() == 2 && s.args[0] == g_.root.installed_on &&
          s.args[1] >= 0)
        return outer_constant(inst, s.args[1], loc, fid);
    return -1;
  }

  bool is_a(int32_t cls, int32_t base) const {
    auto chain = ir::mro(p_, cls);
    return std::find(chain.begin(), chain.end(), base) != chain.end();
  }

  int32_t input_attr(const std::string& name, const ir::Loc& loc, int32_t fid) {
    FlatNode in;
    in.op = "input";
    in.name = name;
    in.loc = loc;
    in.function = fid;
    in.flags = kFlatInput;
    int32_t id = add(std::move(in));
    g_.inputs.push_back(id);
    return id;
  }

  int32_t getattr_redirect(int32_t mod, const std::string& name, const ir::Attr& attr, const std::vector<int32_t>& args,
                           const ir::Loc& loc, int32_t fid, int depth) {
    int32_t ga = find_method(p_, mod, "__getattr__");
    if (ga < 0 || !can_inline(depth)) return -1;
    const ir::Function& g = p_.fn(ga);
    // Names the hook singles out (`if name == "embeddings"`); none means every name.
    std::set<std::string> names;
    for (const auto& n : g.nodes)
      if (n.op == "eq" && n.args.size() == 2)
        for (ir::NodeId a : n.args)
          if (g.node(a).op == "const" && !g.node(a).num) names.insert(g.node(a).name);
    if (!names.empty() && !names.count(name.substr(0, name.find('.')))) return -1;
    for (ir::NodeId r : g.returns) {
      const ir::Node& rn = g.node(r);
      if (rn.args.empty()) continue;
      const ir::Node& v = g.node(rn.args[0]);
      if (v.op != "call" || v.name != "functools.partial" || v.args.empty()) continue;
      int32_t target = g.node(v.args[0]).target_function;
      if (target < 0) continue;
      std::vector<int32_t> bound{attr_value(attr, loc, fid, name)};
      bound.insert(bound.end(), args.begin(), args.end());
      return inline_fn(target, bound, {}, -1, depth + 1, loc);
    }
    return -1;
  }

  // The submodule a class's `__getattr__` forwards unknown names to (`return getattr(self.tools,
  // name)`, `getattr(self.__dict__["_modules"]["tools"], name)`, `getattr(self._modules["tools"],
  // name)`); nullptr when it forwards elsewhere or has no such method.
  const ir::Attr* getattr_delegate(int32_t mod) const {
    const int32_t ga = find_method(p_, mod, "__getattr__");
    if (ga < 0) return nullptr;
    const ir::Function& g = p_.fn(ga);
    if (g.param_nodes.size() < 2) return nullptr;
    for (ir::NodeId r : g.returns) {
      const ir::Node& rn = g.node(r);
      if (rn.args.empty() || rn.args[0] < 0) continue;
      const ir::Node& call = g.node(rn.args[0]);
      if (call.op != "call" || (call.name != "getattr" && call.name != "builtins.getattr") || call.args.size() != 2 ||
          call.args[1] != g.param_nodes[1] || call.args[0] < 0)
        continue;
      // self.tools / self._modules["tools"] / self.__dict__["_modules"]["tools"]
      const ir::Node& x = g.node(call.args[0]);
      std::string name;
      if (x.op == "attr" && x.args.size() == 1 && x.args[0] == g.param_nodes[0]) name = x.name;
      if (x.op == "getitem" && x.args.size() == 2 && g.node(x.args[1]).op == "const") {
        const ir::Node& table = g.node(x.args[0]);
        const bool modules =
            (table.op == "attr" && table.name == "_modules" && table.args.size() == 1 &&
             table.args[0] == g.param_nodes[0]) ||
            (table.op == "getitem" && table.args.size() == 2 && g.node(table.args[1]).name == "_modules" &&
             g.node(table.args[0]).op == "attr" && g.node(table.args[0]).name == "__dict__" &&
             g.node(table.args[0]).args.size() == 1 && g.node(table.args[0]).args[0] == g.param_nodes[0]);
        if (modules) name = g.node(x.args[1]).name;
      }
      if (const ir::Attr* a = name.empty() ? nullptr : ir::module_attr(p_, mod, name)) return a;
    }
    return nullptr;
  }

  // `def __getattr__(self, name): ... return globals()["_" + name]` in class `mod`: the module-level
  // functions of its file whose names fit the key built from `name` (a template, `prep_{}`, when the
  // caller builds the name at run time), each called with the arguments; -1 when there are none.
  int32_t global_by_getattr(int32_t mod, const std::string& name, const std::vector<int32_t>& args,
                            const std::vector<std::pair<std::string, int32_t>>& kwargs, const ir::Loc& loc, int32_t fid,
                            int depth) {
    if (ir::module_attr(p_, mod, name)) return -1;
    const int32_t ga = find_method(p_, mod, "__getattr__");
    if (ga < 0) return -1;
    const ir::Function& g = p_.fn(ga);
    if (g.params.size() < 2 || g.file < 0) return -1;
    for (ir::NodeId r : g.returns) {
      const ir::Node& rn = g.node(r);
      if (rn.args.empty() || rn.args[0] < 0) continue;
      const ir::Node& item = g.node(rn.args[0]);
      if (item.op != "getitem" || item.args.size() != 2 || g.node(item.args[0]).op != "call" ||
          g.node(item.args[0]).name != "globals")
        continue;
      // The key: the name, with literal text before or after it.
      const ir::Node& key = g.node(item.args[1]);
      std::string before, after;
      const auto is_name = [&](ir::NodeId a) { return g.node(a).op == "param" && g.node(a).name == g.params[1]; };
      const auto text = [&](ir::NodeId a) -> std::optional<std::string> {
        const ir::Node& t = g.node(a);
        if (t.op == "const" && !t.num) return t.name;
        return std::nullopt;
      };
      if (is_name(item.args[1])) {
      } else if (key.op == "add" && key.args.size() == 2 && text(key.args[0]) && is_name(key.args[1])) {
        before = *text(key.args[0]);
      } else if (key.op == "add" && key.args.size() == 2 && is_name(key.args[0]) && text(key.args[1])) {
        after = *text(key.args[1]);
      } else {
        continue;
      }
      const std::string want = before + name + after;
      const size_t hole = want.find("{}");
      FlatNode phi;  // (which function runs is configuration, not decided by the data: no selection)
      phi.op = "may_run";
      phi.loc = loc;
      phi.function = fid;
      for (const auto& [fname, fnid] : p_.file(g.file).functions) {
        const bool fits = hole == std::string::npos
                              ? fname == want
                              : fname.size() >= want.size() - 2 && fname.starts_with(want.substr(0, hole)) &&
                                    fname.ends_with(want.substr(hole + 2));
        if (fits && phi.args.size() < 6 && !active_.count(fnid) && takes(p_.fn(fnid), args.size(), kwargs))
          if (int32_t v = inline_fn(fnid, args, kwargs, -1, depth + 1, loc); v >= 0) phi.args.push_back(v);
      }
      if (phi.args.size() == 1) return phi.args[0];
      if (!phi.args.empty()) return add(std::move(phi));
    }
    return -1;
  }

  // The entries of a mapping value: a dict literal with string keys (and `**` merges of known
  // mappings), or the keyword arguments a `**kwargs` parameter collected. Later entries win.
  bool mapping_entries(int32_t v, std::vector<std::pair<std::string, int32_t>>& out, int depth) const {
    if (v < 0 || depth > 6) return false;
    const FlatNode& d = g_.nodes[static_cast<size_t>(v)];
    if (d.op == "kwargs_pack") {
      out.insert(out.end(), d.kwargs.begin(), d.kwargs.end());
      return true;
    }
    if ((d.op == "phi" && !d.args.empty() && (d.args.size() == 1 || !(d.flags & kFlatLoopHeader))) ||
        (d.op == "select" && d.args.size() == 3)) {
      // `kwargs = {}; if c: kwargs["k"] = v` / `extra if last else {}`: the entries either arm may
      // hold. (A key the arms give different values is not known. A loop's mapping, while its body
      // is lowered, is what enters the loop.)
      std::vector<std::pair<std::string, int32_t>> all;
      for (int32_t a : std::set<int32_t>(d.args.begin() + (d.op == "select" ? 1 : 0), d.args.end())) {
        std::vector<std::pair<std::string, int32_t>> arm;
        if (!mapping_entries(a, arm, depth + 1)) return false;
        for (auto& e : arm) {
          auto same = std::find_if(all.begin(), all.end(), [&](const auto& x) { return x.first == e.first; });
          if (same == all.end())
            all.push_back(e);
          else if (same->second != e.second)
            return false;
        }
      }
      out.insert(out.end(), all.begin(), all.end());
      return true;
    }
    if ((d.op == "_replace" && d.args.size() == 1) ||
        (d.op == "call" && (d.name == "dataclasses.replace" || d.name == "replace") && d.args.size() == 1)) {
      // state._replace(h=v) of a NamedTuple record, dataclasses.replace(cfg, k=v): a copy, then the
      // keywords (a later entry of a name wins).
      if (!mapping_entries(d.args[0], out, depth + 1)) return false;
      out.insert(out.end(), d.kwargs.begin(), d.kwargs.end());
      return true;
    }
    if (d.op == "call" && (d.name == "dict" || d.name == "builtins.dict") && d.args.size() <= 1) {
      // dict(kwargs) / dict(base, k=v): a copy, then the keywords.
      if (!d.args.empty() && !mapping_entries(d.args[0], out, depth + 1)) return false;
      out.insert(out.end(), d.kwargs.begin(), d.kwargs.end());
      return true;
    }
    if (d.op == "update" && !d.args.empty()) {
      // d.update(other, k=v): d's entries, then other's, then the keywords (later ones win).
      if (!mapping_entries(d.args[0], out, depth + 1)) return false;
      for (size_t i = 1; i < d.args.size(); ++i)
        if (!mapping_entries(d.args[i], out, depth + 1)) return false;
      out.insert(out.end(), d.kwargs.begin(), d.kwargs.end());
      return true;
    }
    if (d.op == "setitem" && d.args.size() == 3) {
      // d["k"] = v: d's entries, then this one.
      const FlatNode& k = g_.nodes[static_cast<size_t>(d.args[1])];
      if (k.op != "const" || k.num || k.name.empty() || !mapping_entries(d.args[0], out, depth + 1)) return false;
      out.emplace_back(k.name, d.args[2]);
      return true;
    }
    if (d.op == "comprehension" && d.name == "dict" && d.args.size() >= 2) {
      // {k: v for k, v in extras.items() if k in wanted}: (some of) the entries of `extras`.
      const FlatNode& pair = g_.nodes[static_cast<size_t>(d.args[0])];
      const FlatNode& item = g_.nodes[static_cast<size_t>(d.args[1])];
      if (pair.op != "tuple" || pair.args.size() != 2 || item.op != "iter_item" || item.args.empty()) return false;
      const FlatNode& items = g_.nodes[static_cast<size_t>(item.args[0])];
      const FlatNode& value = g_.nodes[static_cast<size_t>(pair.args[1])];
      if (items.op != "items" || items.args.empty() || g_.nodes[static_cast<size_t>(pair.args[0])].op != "dict_key" ||
          value.op != "getitem" || value.args.empty() || value.args[0] != d.args[1])
        return false;
      return mapping_entries(items.args[0], out, depth + 1);
    }
    if (d.op != "dict") return false;
    for (size_t i = 0; i < d.args.size(); ++i) {
      const FlatNode& k = g_.nodes[static_cast<size_t>(d.args[i])];
      if (k.op == "starred" && !k.args.empty()) {
        if (!mapping_entries(k.args[0], out, depth + 1)) return false;
        continue;
      }
      if (i + 1 >= d.args.size() || k.op != "const" || k.num || k.name.empty()) return false;
      out.emplace_back(k.name, d.args[++i]);
    }
    return true;
  }

  // The values a record's construction gives its fields (positionally in field order, or by
  // keyword); fields it leaves to their defaults are absent.
  static std::vector<std::pair<std::string, int32_t>> field_values(
      const std::vector<std::string>& names, const std::vector<int32_t>& pos,
      const std::vector<std::pair<std::string, int32_t>>& kw) {
    std::vector<std::pair<std::string, int32_t>> out;
    for (size_t i = 0; i < names.size(); ++i) {
      int32_t v = i < pos.size() ? pos[i] : -1;
      for (const auto& [k, a] : kw)
        if (k == names[i]) v = a;
      if (v >= 0) out.emplace_back(names[i], v);
    }
    return out;
  }

  // The fields of a record class, bases first: a dataclass or NamedTuple without an __init__ of
  // its own (or of a base) and not a module. Empty for any other class.
  std::vector<std::string> record_fields(int32_t mod, int depth = 0) const {
    const ir::Module& c = p_.mod(mod);
    if (depth > 4 || c.is_nn_module || (depth == 0 && find_method(p_, mod, "__init__") >= 0)) return {};
    std::vector<std::string> out;
    for (int32_t b : c.base_modules)
      for (auto& f : record_fields(b, depth + 1)) out.push_back(std::move(f));
    out.insert(out.end(), c.fields.begin(), c.fields.end());
    return out;
  }

  // The container a loop iterates: a container attribute, an instance of a container class
  // (`for stage in self` in an nn.Sequential subclass), either through enumerate().
  const ir::Attr* iterated_container(int32_t id, int depth) const {
    if (id < 0 || depth > 3) return nullptr;
    const FlatNode& n = g_.nodes[static_cast<size_t>(id)];
    if (n.op == "container") return n.attr;
    if (n.op == "self" && n.num) return ir::module_attr(p_, static_cast<int32_t>(*n.num), ir::kContainerItems);
    if ((n.op == "call" || n.op == "enumerate") && n.name.ends_with("enumerate") && !n.args.empty())
      return iterated_container(n.args[0], depth + 1);
    // sorted(self.hooks, key=...), heapq.nsmallest(k, self.queue): the same items, in some order.
    if (n.op == "call" && (n.name == "sorted" || n.name == "reversed" || n.name == "list" || n.name == "tuple") &&
        n.args.size() == 1)
      return iterated_container(n.args[0], depth + 1);
    if (n.op == "call" && (n.name == "heapq.nsmallest" || n.name == "heapq.nlargest") && n.args.size() >= 2)
      return iterated_container(n.args[1], depth + 1);
    // itertools.compress(self.steps, self.flags), islice(self.steps, k), takewhile / dropwhile /
    // filterfalse(pred, self.steps): some of the items (which, the configuration decides).
    if (n.op == "call" && (n.name == "itertools.compress" || n.name == "itertools.islice") && !n.args.empty())
      return iterated_container(n.args[0], depth + 1);
    if (n.op == "call" &&
        (n.name == "itertools.takewhile" || n.name == "itertools.dropwhile" || n.name == "itertools.filterfalse" ||
         n.name == "filter" || n.name == "builtins.filter") &&
        n.args.size() == 2)
      return iterated_container(n.args[1], depth + 1);
    // itertools.chain(self.pre, self.post) / chain.from_iterable(self.groups.values()): the items of
    // each sequence, one after another, as one list.
    if (n.op == "call" && (n.name == "itertools.chain" || n.name == "itertools.chain.from_iterable") &&
        !n.args.empty()) {
      std::vector<const ir::Attr*> parts;
      if (n.name == "itertools.chain") {
        for (int32_t a : n.args) parts.push_back(iterated_container(a, depth + 1));
      } else if (const ir::Attr* outer = n.args.size() == 1 ? iterated_container(n.args[0], depth + 1) : nullptr) {
        for (const ir::Attr& c : outer->children) parts.push_back(c.kind == ir::AttrKind::Other && !c.children.empty() ? &c : nullptr);
      }
      if (parts.empty() || std::find(parts.begin(), parts.end(), nullptr) != parts.end()) return nullptr;
      std::vector<ir::Attr> items;
      for (const ir::Attr* part : parts) items.insert(items.end(), part->children.begin(), part->children.end());
      return made_list(n.name, std::move(items));
    }
    return nullptr;
  }

  // A list the graph makes up of these items (named by position), kept with the graph.
  const ir::Attr* made_list(const std::string& name, std::vector<ir::Attr> items, const std::string& type = "list") const {
    ir::Attr list;
    list.kind = ir::AttrKind::Container;
    list.type = type;
    list.name = name;
    list.children = std::move(items);
    for (size_t i = 0; i < list.children.size(); ++i) list.children[i].name = std::to_string(i);
    g_.made_attrs->push_back(std::move(list));
    return &g_.made_attrs->back();
  }

  // A list whose entries are all tuples (`(priority, name, fn)`): the list of their k-th parts, or
  // nullptr when some entry is no tuple that long.
  const ir::Attr* tuple_parts(const ir::Attr& list, size_t k) const {
    if (list.children.empty()) return nullptr;
    std::vector<ir::Attr> parts;
    for (const ir::Attr& e : list.children) {
      if (e.type != "tuple" || e.children.size() <= k) return nullptr;
      parts.push_back(e.children[k]);
    }
    return made_list(list.name, std::move(parts));
  }

  // The items, in order, of a sequence written as an expression: a tuple or list, a container
  // attribute, `itertools.chain(a, b)`, `itertools.chain.from_iterable(zip(a, b))` (interleaved),
  // through a function's single return. False when some part is not such a sequence.
  bool sequence_items(int32_t id, std::vector<int32_t>& out, int depth) {
    if (id < 0 || depth > 4 || out.size() > 32) return false;
    const FlatNode n = g_.nodes[static_cast<size_t>(id)];
    if (n.op == "tuple" || n.op == "list") {
      out.insert(out.end(), n.args.begin(), n.args.end());
      return true;
    }
    if (n.op == "phi" && n.args.size() == 1) return sequence_items(n.args[0], out, depth + 1);
    if (n.op == "generator") {  // what a generator function yields, in order
      out.insert(out.end(), n.args.begin(), n.args.end());
      return true;
    }
    if (const ir::Attr* c = iterated_container(id, 0); c && !c->children.empty() && c->children.size() <= 16) {
      for (const ir::Attr& child : c->children)
        out.push_back(attr_value(child, n.loc, n.function, c->name + "." + child.name));
      return true;
    }
    if (n.op == "comprehension" && n.args.size() >= 2 && n.args[0] >= 0 && n.args[1] >= 0) {
      // [fn for _, fn in rows] / [r for r in rows]: the item, or one part of each tuple row (some of
      // them when the comprehension filters)
      const FlatNode each = g_.nodes[static_cast<size_t>(n.args[0])];
      const FlatNode it = g_.nodes[static_cast<size_t>(n.args[1])];
      if (it.op != "iter_item" || it.args.empty()) return false;
      std::vector<int32_t> rows;
      if (!sequence_items(it.args[0], rows, depth + 1)) return false;
      // (`if name.startswith("_prep_")`: rows the comprehension's test rules out are not items)
      if (n.args.size() >= 3 && n.args[2] >= 0)
        std::erase_if(rows, [&](int32_t r) { return row_test(n.args[2], n.args[1], r, 0) == false; });
      if (n.args[0] == n.args[1]) {
        out.insert(out.end(), rows.begin(), rows.end());
        return true;
      }
      const std::optional<double> k = each.op == "getitem" && each.args.size() == 2 && each.args[0] == n.args[1] &&
                                              each.args[1] >= 0
                                          ? g_.nodes[static_cast<size_t>(each.args[1])].num
                                          : std::nullopt;
      if (!k || *k < 0) return false;
      for (int32_t r : rows) {
        const FlatNode& row = g_.nodes[static_cast<size_t>(r)];
        if ((row.op != "tuple" && row.op != "list") || static_cast<size_t>(*k) >= row.args.size()) return false;
        out.push_back(row.args[static_cast<size_t>(*k)]);
      }
      return true;
    }
    if (n.op != "call") return false;
    // sorted(rows, key=...), reversed(rows), list(rows), tuple(rows): the same items (in an order
    // the analysis may not know)
    if (static const std::set<std::string> same = {"sorted", "reversed", "list", "tuple", "builtins.sorted",
                                                   "builtins.reversed", "builtins.list", "builtins.tuple"};
        same.count(n.name) && n.args.size() == 1)
      return sequence_items(n.args[0], out, depth + 1);
    if (n.name == "itertools.chain") {
      for (int32_t a : n.args)
        if (!sequence_items(a, out, depth + 1)) return false;
      return true;
    }
    if (n.name == "itertools.chain.from_iterable" && n.args.size() == 1 && n.args[0] >= 0) {
      const FlatNode z = g_.nodes[static_cast<size_t>(n.args[0])];
      if (z.op != "call" || z.name != "zip") return sequence_items(n.args[0], out, depth + 1);
      std::vector<std::vector<int32_t>> columns(z.args.size());
      for (size_t k = 0; k < z.args.size(); ++k)
        if (!sequence_items(z.args[k], columns[k], depth + 1)) return false;
      for (size_t i = 0;; ++i) {
        for (const auto& col : columns) {
          if (i >= col.size()) return true;
          out.push_back(col[i]);
        }
      }
    }
    return false;
  }

  // `a.startswith(b)`, `a.endswith(b)`, `a == b`, `a != b` on two known strings; nullopt for another op.
  static std::optional<bool> string_test(const std::string& op, const std::string& a, const std::string& b) {
    if (op == "startswith") return a.starts_with(b);
    if (op == "endswith") return a.ends_with(b);
    if (op == "eq" || op == "ne") return (a == b) == (op == "eq");
    return std::nullopt;
  }

  // A comprehension's test on one row of what it iterates (`item` the iteration variable): decided
  // when it only asks string questions of the row's constant parts (`name.startswith("_prep_")`,
  // `==`, `and` / `or` / `not` of such); nullopt when undecided.
  std::optional<bool> row_test(int32_t test, int32_t item, int32_t row, int depth) const {
    if (test < 0 || depth > 6) return std::nullopt;
    const FlatNode& t = g_.nodes[static_cast<size_t>(test)];
    auto text = [&](int32_t v) -> std::optional<std::string> {
      if (v < 0) return std::nullopt;
      const FlatNode& x = g_.nodes[static_cast<size_t>(v)];
      if (x.op == "const" && !x.num && !x.name.empty()) return x.name;
      if (x.op != "getitem" || x.args.size() != 2 || x.args[0] != item || x.args[1] < 0) return std::nullopt;
      const auto k = g_.nodes[static_cast<size_t>(x.args[1])].num;
      const FlatNode& r = g_.nodes[static_cast<size_t>(row)];
      if (!k || *k < 0 || (r.op != "tuple" && r.op != "list") || static_cast<size_t>(*k) >= r.args.size())
        return std::nullopt;
      const FlatNode& part = g_.nodes[static_cast<size_t>(r.args[static_cast<size_t>(*k)])];
      if (part.op == "const" && !part.num && !part.name.empty()) return part.name;
      return std::nullopt;
    };
    if ((t.op == "startswith" || t.op == "endswith" || t.op == "eq" || t.op == "ne") && t.args.size() == 2) {
      auto a = text(t.args[0]), b = text(t.args[1]);
      if (!a || !b) return std::nullopt;
      return string_test(t.op, *a, *b);
    }
    if ((t.op == "not" || t.op == "logical_not") && t.args.size() == 1)
      if (auto v = row_test(t.args[0], item, row, depth + 1)) return !*v;
    if ((t.op == "and" || t.op == "or") && !t.args.empty()) {
      bool all_known = true;
      for (int32_t a : t.args) {
        auto v = row_test(a, item, row, depth + 1);
        if (v && *v == (t.op == "or")) return *v;  // one false decides an `and`, one true an `or`
        all_known &= v.has_value();
      }
      if (all_known) return t.op == "and";
    }
    return std::nullopt;
  }

  // The value a known mapping holds under `key` (the last entry of that name); -1 when unknown.
  int32_t mapping_value(int32_t mapping, const std::string& key) const {
    std::vector<std::pair<std::string, int32_t>> entries;
    if (!mapping_entries(mapping, entries, 0)) return -1;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
      if (it->first == key) return it->second;
    return -1;
  }

  // The `@name.setter` method of a class (or of its bases), or -1.
  int32_t property_setter(int32_t cls, const std::string& name) {
    auto key = std::make_pair(cls, name);
    if (auto it = setters_.find(key); it != setters_.end()) return it->second;
    int32_t found = -1;
    for (int32_t c = cls, guard = 0; c >= 0 && found < 0 && guard < 8; ++guard) {
      for (const auto& f : p_.functions)
        if (f.owner_module == c && f.name == name &&
            std::find(f.decorators.begin(), f.decorators.end(), name + ".setter") != f.decorators.end())
          found = f.id;
      const auto& bases = p_.mod(c).base_modules;
      c = bases.empty() ? -1 : bases.front();
    }
    return setters_[key] = found;
  }

  bool is_property(int32_t fn) const {
    const auto& d = p_.fn(fn).decorators;
    return std::find(d.begin(), d.end(), "property") != d.end() ||
           std::find(d.begin(), d.end(), "functools.cached_property") != d.end() ||
           std::find(d.begin(), d.end(), "cached_property") != d.end();
  }

  // The class of the tree a parameter of a singledispatch implementation is annotated with; -1 when none.
  int32_t annotated_class(const ir::Function& f, const ir::Node& param) const {
    if (std::none_of(f.decorators.begin(), f.decorators.end(), [](const std::string& d) {
          return d.ends_with(".register") || d.ends_with(".register()");
        }))
      return -1;
    for (const auto& [k, v] : param.kwargs)
      if (k == "annotation" && v >= 0 && f.node(v).target_module >= 0) return f.node(v).target_module;
    return -1;
  }

  int32_t argument_class(int32_t fn, const ir::Node& param) {
    auto key = std::make_pair(fn, param.name);
    if (auto it = argument_class_.find(key); it != argument_class_.end()) return it->second;
    return argument_class_[key] = flow::argument_class(p_, fn, param);
  }

  // Whether every call of `fn` passes for `param` a tensor built from literals (made as a module's
  // constants are, see made_at_import).
  bool stored_argument(int32_t fn, const ir::Node& param) {
    auto key = std::make_pair(fn, param.name);  // (memoised as argument_class is)
    if (auto it = stored_argument_.find(key); it != stored_argument_.end()) return it->second;
    return stored_argument_[key] = every_call_passes_stored(fn, param);
  }

  // The function every call of `fn` passes for `param` (memoised as argument_class is).
  int32_t argument_function(int32_t fn, const ir::Node& param) {
    auto key = std::make_pair(fn, param.name);
    if (auto it = argument_function_.find(key); it != argument_function_.end()) return it->second;
    return argument_function_[key] = flow::argument_function(p_, fn, param);
  }

  bool every_call_passes_stored(int32_t fn, const ir::Node& param) {
    bool any = false, all = true;
    call_site_arguments(p_, fn, param, [&](const ir::Function& caller, ir::NodeId arg) {
      all &= arg != ir::kNoNode && made_at_import(caller, arg, 0) && !one_number_expression(caller, arg, 0);
      any = true;
    });
    return any && all;
  }

  // (memoised as argument_class is: each asks every call of the program)
  std::optional<double> argument_number(int32_t fn, const ir::Node& param) {
    auto key = std::make_pair(fn, param.name);
    if (auto it = argument_number_.find(key); it != argument_number_.end()) return it->second;
    return argument_number_[key] = flow::argument_number(p_, fn, param);
  }

  // SPECIAL["pad"] with SPECIAL = {"pad": 0, ...} at module level: the literal.
  int32_t global_dict_item(const ir::Node& dict, const ir::Node& key, const ir::Loc& loc, int32_t fid) {
    if (dict.op != "global" || key.op != "const" || key.num) return -1;
    auto [mfi, id] = p_.global_binding(dict.name);
    if (mfi < 0) return -1;
    const ir::Function& mf = p_.fn(mfi);
    ir::NodeId v = ir::dict_entry(mf, id, key.name);
    if (v < 0 || !mf.node(v).num) return -1;
    return constant(dict.name + "[" + key.name + "]", *mf.node(v).num, loc, fid);
  }

  // The function a module- or class-level dict of the tree holds under `key` (a registry of
  // callables, `TABLE = {"plain": plain, ...}`), or -1.
  int32_t global_table_function(const ir::Node& table, const std::string& key) const {
    auto [mfi, id] = p_.global_binding(table.name);
    if (mfi < 0) return -1;
    ir::NodeId v = ir::dict_entry(p_.fn(mfi), id, key);
    return v >= 0 ? p_.fn(mfi).node(v).target_function : -1;
  }

  // A function of the tree as a value (callable like its def), named `name` for messages.
  int32_t function_node(int32_t function, const std::string& name, const ir::Loc& loc, int32_t fid) {
    FlatNode d;
    d.op = "def";
    d.num = function;
    d.loc = loc;
    d.function = fid;
    d.name = name;
    return add(std::move(d));
  }

  // The entries of a module-level dict literal that are functions or instances of classes of the
  // tree, as one value that may be any of them (`may_run`); -1 unless every entry is one.
  int32_t configured_table_entry(const ir::Node& table, const ir::Loc& loc, int32_t fid) {
    auto [mfi, id] = p_.global_binding(table.name);
    if (mfi < 0 || id < 0) return -1;
    const ir::Function& mf = p_.fn(mfi);
    const ir::Node& d = mf.node(id);
    if (d.op == "dict" && d.args.empty()) return decorator_registered_entry(table.name, loc, fid);
    if (d.op != "dict" || d.args.size() < 4) return -1;
    FlatNode any;
    any.op = "may_run";
    any.loc = loc;
    any.function = fid;
    for (size_t k = 1; k < d.args.size() && any.args.size() < 8; k += 2) {
      if (d.args[k] < 0) return -1;
      const ir::Node& e = mf.node(d.args[k]);
      if (e.target_function >= 0 && (e.op == "global" || e.op == "def" || e.op == "lambda")) {
        any.args.push_back(function_node(e.target_function, p_.fn(e.target_function).name, loc, fid));
      } else if ((e.op == "call" || e.op == "call_value") && e.target_module >= 0) {
        any.args.push_back(self_node(e.target_module, loc));
      } else {
        return -1;
      }
    }
    return add(std::move(any));
  }

  // An entry of a module-level table a decorator fills (`def post(name, **kw): def deco(fn):
  // TABLE[name] = functools.partial(fn, **kw); return fn`): any function the decorator is applied
  // to (the keywords the partial binds are left open); -1 when the table is filled otherwise.
  int32_t decorator_registered_entry(const std::string& table, const ir::Loc& loc, int32_t fid) {
    auto [memo, fresh] = registered_.try_emplace(table);
    if (fresh) memo->second = registered_functions(table);
    if (memo->second.empty()) return -1;
    FlatNode any;
    any.op = "may_run";
    any.loc = loc;
    any.function = fid;
    for (int32_t h : memo->second) any.args.push_back(function_node(h, p_.fn(h).name, loc, fid));
    return add(std::move(any));
  }

  // The functions a registering decorator of `table` is applied to (at most 8), walking the program once.
  std::vector<int32_t> registered_functions(const std::string& table) const {
    std::set<int32_t> registering;  // decorator functions storing their argument into the table
    for (const ir::Function& g : p_.functions)
      for (const ir::Node& n : g.nodes) {
        if (n.op != "setitem" || n.args.size() != 3 || n.args[0] < 0 || n.args[2] < 0 ||
            g.node(n.args[0]).op != "global" || g.node(n.args[0]).name != table || g.param_nodes.empty())
          continue;
        const ir::Node& v = g.node(n.args[2]);
        const bool partial = v.op == "call" && (v.name == "functools.partial" || v.name == "partial") &&
                             !v.args.empty() && v.args[0] == g.param_nodes[0];
        if (n.args[2] == g.param_nodes[0] || partial) registering.insert(g.id);
      }
    std::vector<int32_t> out;
    if (registering.empty()) return out;
    for (const ir::Function& h : p_.functions) {
      if (h.decorators.empty() || out.size() >= 8) continue;
      // `@post("name", scale=2.0)`: the factory call the linker resolved returns the registering
      // function; `@register`: the registering function named as written, in the same file.
      const int32_t factory = h.decorator_call >= 0 && h.decorator_scope >= 0
                                  ? p_.fn(h.decorator_scope).node(h.decorator_call).target_function
                                  : -1;
      const bool applied = std::any_of(registering.begin(), registering.end(), [&](int32_t g) {
        const ir::Function& reg = p_.fn(g);
        if (factory >= 0) return reg.parent == factory;
        return std::any_of(h.decorators.begin(), h.decorators.end(), [&](const std::string& d) {
          return reg.file == h.file && reg.parent < 0 && d == reg.name;
        });
      });
      if (applied) out.push_back(h.id);
    }
    return out;
  }

  int32_t global_constant(const ir::Node& n, int32_t fid) {
    auto [mfi, vid] = p_.global_binding(n.name);
    if (mfi < 0) return class_constant(n, fid);
    const ir::Function& mf = p_.fn(mfi);
    const ir::Node& v = mf.node(vid);
    if (v.num) return constant(n.name, *v.num, n.loc, fid);
    FlatNode c;
    c.loc = n.loc;
    c.function = fid;
    c.name = n.name;
    if (ir::is_tensor_factory(v.op) || v.op == "list" || v.op == "tuple" || v.op == "frombuffer" ||
        v.op == "from_numpy" || made_at_import(mf, vid, 0)) {
      c.op = "attr";
      // `LIMIT = torch.finfo(torch.float16).max / 128`: one number, a bound, not a stored pattern.
      if (!one_number_expression(mf, vid, 0)) c.flags = kFlatConstTensor;
      return add(std::move(c));
    }
    return -1;
  }

  // Arithmetic on numbers, dtype limits and math functions only (no tensor, sequence or array):
  // a module-level value that is a single number.
  bool one_number_expression(const ir::Function& f, ir::NodeId id, int depth) const {
    if (id < 0 || depth > 8) return false;
    const ir::Node& v = f.node(id);
    if (v.op == "const") return v.num.has_value();
    static const std::set<std::string_view> arithmetic = {"add", "sub", "mul", "div", "floordiv", "pow", "neg", "mod"};
    static const std::set<std::string_view> limits = {"max", "min", "eps", "tiny", "smallest_normal"};
    if (v.op == "attr" && v.args.size() == 1 && limits.count(v.name)) {
      const ir::Node& info = f.node(v.args[0]);  // torch.finfo(dtype).max
      return (info.op == "call" || info.op == "finfo" || info.op == "iinfo") &&
             (info.op != "call" || info.name.ends_with("finfo") || info.name.ends_with("iinfo"));
    }
    const bool math = v.op == "call" && (v.name.starts_with("math.") || v.name == "float" || v.name == "int");
    // VOCAB.index("Z") + 1, len(VOCAB): a position or a count in a stored list is one number.
    if ((v.op == "index" || v.op == "count") && v.args.size() == 2 && f.node(v.args[0]).op != "param") return true;
    if (v.op == "call" && v.name == "len" && v.args.size() == 1) return true;
    // STOI["%"] with `STOI = {c: i for i, c in enumerate(VOCAB)}` (a vocabulary's id of one token),
    // struct.unpack("<f", ...)[0]: one entry of a mapping built from literals, one decoded field.
    if (v.op == "getitem" && v.args.size() == 2 && f.node(v.args[1]).op == "const") {
      ir::NodeId base = v.args[0];
      if (const ir::Node& b = f.node(base); b.op == "global") {
        auto [owner, bound] = p_.global_binding(b.name);
        if (owner >= 0 && bound >= 0) return number_table(p_.fn(owner), bound);
      }
      const ir::Node& b = f.node(base);
      if (b.op == "call" && (b.name == "struct.unpack" || b.name == "struct.unpack_from")) return true;
      return number_table(f, base);
    }
    if (!arithmetic.count(v.op) && !math) return false;
    return !v.args.empty() && std::all_of(v.args.begin(), v.args.end(),
                                          [&](ir::NodeId a) { return one_number_expression(f, a, depth + 1); });
  }

  // A dict of numbers: a literal whose values are numbers, or a comprehension `{k: i for i, k in
  // enumerate(xs)}` whose values are the positions.
  static bool number_table(const ir::Function& f, ir::NodeId id) {
    const ir::Node& d = f.node(id);
    if (d.op == "dict") {
      for (size_t i = 1; i < d.args.size(); i += 2)
        if (d.args[i] < 0 || !f.node(d.args[i]).num) return false;
      return d.args.size() >= 2;
    }
    if (d.op != "comprehension" || d.args.empty()) return false;
    for (const ir::Node& x : f.nodes)  // (the value enumerate() counts: element 0 of its items)
      if (x.op == "call" && x.name == "enumerate") return true;
    return false;
  }

  // `STAMP = make_stamp()` at module level: a function of the tree called with no input, that
  // returns a tensor it builds (from literals, a seeded generator, a hash): fixed at import.
  bool made_at_import(const ir::Function& f, ir::NodeId id, int depth) const {
    if (id < 0 || depth > 4) return false;
    const ir::Node& v = f.node(id);
    if (ir::is_tensor_factory(v.op)) return true;
    // BITS = np.array([(CODE >> (24 - i)) & 1 for i in range(25)]).reshape(5, 5): any computation at
    // module level whose leaves are literals and other such module-level values.
    if (depth == 0 && f.name == "<module>" && computed_from_literals(f, id)) return true;
    static const std::set<std::string> reshapes = {"view", "reshape", "float",      "to",
                                                   "t",    "flip",    "contiguous", "clone"};
    if (reshapes.count(v.op) && !v.args.empty()) return made_at_import(f, v.args[0], depth + 1);
    // struct.unpack(">4H", b"..."), zlib.decompress(b"..."), bytes.fromhex("..."): a decoding of
    // literals, fixed at import. (A layer built at module level from literal sizes is no value.)
    if (v.op != "const" && v.op != "layer" && v.op != "parameter" && v.target_function < 0 && v.target_module < 0 &&
        !v.args.empty() &&
        std::all_of(v.args.begin(), v.args.end(), [&](ir::NodeId a) { return a >= 0 && f.node(a).op == "const"; }))
      return true;
    if ((v.op == "call" || v.op == "call_value") && v.target_function >= 0 && depth == 0) {
      const ir::Function& g = p_.fn(v.target_function);
      for (ir::NodeId r : g.returns)
        if (!g.node(r).args.empty() && made_at_import(g, g.node(r).args[0], depth + 1)) return true;
      // (a builder taking no input whose result is computed from literals and seeded draws)
      if (g.params.empty())
        for (ir::NodeId r : g.returns)
          if (!g.node(r).args.empty() && computed_from_literals(g, g.node(r).args[0])) return true;
    }
    return false;
  }

  // Whether a module-level value depends on literals (and module-level values that do) only: no
  // layer, parameter or model instance, no call of unknown effect without arguments (a clock, a
  // process id), no module-level value that is not such a computation itself.
  bool computed_from_literals(const ir::Function& f, ir::NodeId id) const {
    std::vector<std::pair<const ir::Function*, ir::NodeId>> work{{&f, id}};
    std::set<std::pair<const ir::Function*, ir::NodeId>> seen;
    bool literal = false;
    while (!work.empty()) {
      auto [fn, cur] = work.back();
      work.pop_back();
      if (cur < 0) return false;
      if (!seen.insert({fn, cur}).second) continue;
      if (seen.size() > 256) return false;
      const ir::Node& v = fn->node(cur);
      if (v.op == "const") {
        literal = true;
        continue;
      }
      static const std::set<std::string> opaque = {"param", "layer",  "parameter", "module_call", "call_value",
                                                   "free",  "lambda", "def",       "yield"};
      if (opaque.count(v.op) || v.target_module >= 0 || (v.op == "call" && v.target_function >= 0)) return false;
      if (v.op == "global") {
        auto [mfi, gid] = p_.global_binding(v.name);
        if (mfi >= 0 && gid >= 0) work.push_back({&p_.fn(mfi), gid});
        continue;  // a builtin or a library constant (bool, math.pi)
      }
      if (v.args.empty() && v.kwargs.empty() && v.op == "call") return false;  // time.time(), os.getpid()
      for (ir::NodeId a : v.args) work.push_back({fn, a});
      for (const auto& [k, a] : v.kwargs) work.push_back({fn, a});
    }
    return literal;
  }

  // A class statement in the body of `mod` or a base (`class Ops:` inside the model class) bound to
  // `name`; -1 when none.
  int32_t nested_class(int32_t mod, const std::string& name) const {
    for (int32_t c : ir::mro(p_, mod)) {
      const ir::Module& m = p_.mod(c);
      if (auto it = m.class_vars.find(name); it != m.class_vars.end() && m.body_function >= 0 && it->second >= 0)
        if (const ir::Node& v = p_.fn(m.body_function).node(it->second); v.op == "class" && v.target_module >= 0)
          return v.target_module;
    }
    return -1;
  }

  // A string test on the key half of a `(name, module)` pair a loop walks, which guards a call of the
  // module half: `if name.endswith("_filter"): y = mod(y)` (the call's value is the then-arm of a
  // join decided by that test).
  struct NameGuard {
    std::string op, text;  // startswith / endswith / eq / ne, and the literal
  };
  std::optional<NameGuard> name_guard_;

  std::optional<NameGuard> child_name_guard(const ir::Function& f, const ir::Node& call) const {
    const ir::Node& callee = f.node(call.args[0]);
    if (callee.op != "getitem" || callee.args.size() != 2 || f.node(callee.args[1]).num != 1.0) return std::nullopt;
    const ir::NodeId pair = callee.args[0];
    for (const ir::Node& j : f.nodes) {
      if (j.op != "phi" || j.args.empty() || j.args[0] != call.id) continue;
      for (const auto& [k, b] : j.kwargs) {
        if (k != "cond" || b < 0 || f.node(b).op != "branch" || f.node(b).args.empty()) continue;
        const ir::Node& t = f.node(f.node(b).args[0]);
        if (!(t.op == "startswith" || t.op == "endswith" || t.op == "eq" || t.op == "ne") || t.args.size() != 2)
          continue;
        const ir::Node& key = f.node(t.args[0]);
        const ir::Node& lit = f.node(t.args[1]);
        if (key.op == "getitem" && key.args.size() == 2 && key.args[0] == pair && f.node(key.args[1]).num == 0.0 &&
            lit.op == "const" && !lit.num && !lit.name.empty())
          return NameGuard{t.op, lit.name};
      }
    }
    return std::nullopt;
  }

  // The children of a table whose names pass the guard (a name made at run time, kept as a number,
  // may pass: it stays).
  const ir::Attr* children_passing(const ir::Attr& table, const NameGuard& g) const {
    std::vector<ir::Attr> kept;
    for (const ir::Attr& c : table.children) {
      const bool run_time = !c.name.empty() && std::all_of(c.name.begin(), c.name.end(), [](unsigned char ch) {
        return std::isdigit(ch) != 0;
      });
      if (run_time || string_test(g.op, c.name, g.text).value_or(true)) kept.push_back(c);
    }
    if (kept.empty() || kept.size() == table.children.size()) return &table;
    return made_list(table.name, std::move(kept), table.type);
  }

  // The class of the tree a predicate tests for: `lambda m: isinstance(m, C)` (or a function whose
  // one return is that test); -1 otherwise.
  int32_t isinstance_predicate(const ir::Function& f, ir::NodeId pred) const {
    const int32_t g = pred >= 0 ? f.node(pred).target_function : -1;
    if (g < 0) return -1;
    const ir::Function& fn = p_.fn(g);
    if (fn.returns.size() != 1 || fn.param_nodes.empty() || fn.node(fn.returns[0]).args.empty()) return -1;
    const ir::Node& test = fn.node(fn.node(fn.returns[0]).args[0]);
    if (test.op != "call" || (test.name != "isinstance" && test.name != "builtins.isinstance") || test.args.size() != 2 ||
        test.args[0] != fn.param_nodes[0] || test.args[1] < 0)
      return -1;
    return fn.node(test.args[1]).target_module;
  }

  // The submodules a module holds, read as a table: `vars(self)["_modules"].items()`,
  // `self._modules.values()`, `self.children()`, `self.named_children()`. A container of every
  // module attribute of its class (in order), or null.
  const ir::Attr* submodule_table(int32_t v) {
    const FlatNode* n = &g_.nodes[static_cast<size_t>(v)];
    if ((n->op == "items" || n->op == "values") && !n->args.empty()) n = &g_.nodes[static_cast<size_t>(n->args[0])];
    int32_t owner = -1;
    if ((n->op == "children" || n->op == "named_children") && !n->args.empty()) owner = n->args[0];
    if (n->op == "attr" && n->name == "_modules" && !n->args.empty()) owner = n->args[0];
    if (n->op == "getitem" && n->args.size() == 2) {
      const FlatNode& table = g_.nodes[static_cast<size_t>(n->args[0])];
      const FlatNode& key = g_.nodes[static_cast<size_t>(n->args[1])];
      if (table.op == "call" && table.name == "vars" && !table.args.empty() && key.op == "const" &&
          key.name == "_modules")
        owner = table.args[0];
    }
    if (owner < 0) return nullptr;
    const FlatNode& self = g_.nodes[static_cast<size_t>(owner)];
    if (self.op != "self" || !self.num) return nullptr;
    ir::Attr& all = g_.made_attrs->emplace_back();
    all.kind = ir::AttrKind::Container;
    all.type = "ModuleDict";
    for (int32_t c : ir::mro(p_, static_cast<int32_t>(*self.num)))
      for (const ir::Attr& a : p_.mod(c).attrs) {
        // (modules added under names known only at run time are children of the module each)
        if (a.name == link::kNamedAtRunTime) {
          all.children.insert(all.children.end(), a.children.begin(), a.children.end());
          continue;
        }
        if (a.kind == ir::AttrKind::Submodule || a.kind == ir::AttrKind::Layer || a.kind == ir::AttrKind::Container)
          all.children.push_back(a);
      }
    return all.children.empty() ? nullptr : &all;
  }

  // `seq[a:b]` of a Sequential or ModuleList container value: the container of those children (kept
  // with the graph, whose layer references point into it), or nullptr.
  const ir::Attr* container_slice(int32_t v) {
    const FlatNode& g = g_.nodes[static_cast<size_t>(v)];
    if (g.op != "getitem" || g.args.size() != 2) return nullptr;
    const FlatNode& base = g_.nodes[static_cast<size_t>(g.args[0])];
    const FlatNode& sl = g_.nodes[static_cast<size_t>(g.args[1])];
    if (base.op != "container" || !base.attr || (base.attr->type != "Sequential" && base.attr->type != "ModuleList") ||
        sl.op != "slice" || sl.args.size() != 2)
      return nullptr;
    // (children that stand for every element, `ModuleList(Block() for ...)`: any slice holds them)
    if (std::any_of(base.attr->children.begin(), base.attr->children.end(),
                    [](const ir::Attr& c) { return c.name == "*"; }))
      return base.attr;
    const long size = static_cast<long>(base.attr->children.size());
    auto bound = [&](int32_t a, long fallback) -> std::optional<long> {
      const FlatNode& b = g_.nodes[static_cast<size_t>(a)];
      if (!b.num) return b.op == "const" && b.name == "None" ? std::optional<long>(fallback) : std::nullopt;
      if (!(std::fabs(*b.num) < 1e9)) return std::nullopt;
      long k = static_cast<long>(*b.num);
      if (k < 0) k += size;
      return std::clamp(k, 0L, size);
    };
    auto lo = bound(sl.args[0], 0), hi = bound(sl.args[1], size);
    if (!lo || !hi) return nullptr;
    ir::Attr& part = g_.made_attrs->emplace_back(*base.attr);
    part.children.assign(base.attr->children.begin() + *lo, base.attr->children.begin() + std::max(*lo, *hi));
    return &part;
  }

  // `fn.__closure__[i].cell_contents = v`: the closure variable of `fn` now holds `v` as well.
  // The cell is named when the index folds to a name (`co_freevars.index("flag")`); else any of
  // the function's closure variables may be the one written.
  void record_cell_write(int32_t cell, int32_t value) {
    const FlatNode& c = g_.nodes[static_cast<size_t>(cell)];
    if (c.op != "getitem" || c.args.size() != 2) return;
    const FlatNode& closure = g_.nodes[static_cast<size_t>(c.args[0])];
    if (closure.op != "attr" || closure.name != "__closure__" || closure.args.empty()) return;
    const FlatNode& fn = g_.nodes[static_cast<size_t>(closure.args[0])];
    if (!(fn.op == "def" || fn.op == "lambda") || !fn.num) return;
    std::string name = "*";
    for (int32_t a : g_.nodes[static_cast<size_t>(c.args[1])].args)
      if (const FlatNode& k = g_.nodes[static_cast<size_t>(a)]; k.op == "const" && !k.num && !k.name.empty())
        name = k.name;
    cell_writes_[{static_cast<int32_t>(*fn.num), name}].push_back(value);
  }

  int32_t with_cell_writes(int32_t fid, const ir::Node& n, int32_t id) {
    std::vector<int32_t> values;
    for (const std::string& key : {n.name, std::string("*")})
      if (auto it = cell_writes_.find({fid, key}); it != cell_writes_.end())
        values.insert(values.end(), it->second.begin(), it->second.end());
    if (values.empty()) return id;
    values.push_back(id);
    return join(std::move(values), n.loc, fid);
  }

  // One of several values (a phi), or the value itself when there is one.
  int32_t join(std::vector<int32_t> values, const ir::Loc& loc, int32_t fid) {
    if (values.size() == 1) return values[0];
    FlatNode phi;
    phi.op = "phi";
    phi.args = std::move(values);
    phi.loc = loc;
    phi.function = fid;
    return add(std::move(phi));
  }

  // The values a generator (or any of the generators a variable may hold) yields.
  bool yields(int32_t v, std::vector<int32_t>& out, int depth) const {
    if (v < 0 || depth > 8) return false;
    const FlatNode& g = g_.nodes[static_cast<size_t>(v)];
    if (g.op == "generator") {
      out.insert(out.end(), g.args.begin(), g.args.end());
      return true;
    }
    if (g.op != "phi" || g.args.empty()) return false;
    for (int32_t a : g.args)
      if (!yields(a, out, depth + 1)) return false;
    return true;
  }

  // Element `k` of a tuple value, or of each tuple a phi merges.
  bool tuple_elements(int32_t v, long k, std::vector<int32_t>& out, int depth) const {
    if (v < 0 || depth > 8) return false;
    const FlatNode& t = g_.nodes[static_cast<size_t>(v)];
    const long size = static_cast<long>(t.args.size());
    if (t.op == "tuple" && k < size && k >= -size && exact_tuple(t)) {  // (k < 0 counts from the end)
      out.push_back(t.args[static_cast<size_t>(k < 0 ? size + k : k)]);
      return true;
    }
    if (t.op != "phi" || t.args.empty() || !t.kwargs.empty()) return false;
    for (int32_t a : t.args)
      if (!tuple_elements(a, k, out, depth + 1)) return false;
    return true;
  }

  // A tuple whose positions are its operands: none is a spread (`(x, *rest)`).
  bool exact_tuple(const FlatNode& t) const {
    for (int32_t a : t.args)
      if (a < 0 || g_.nodes[static_cast<size_t>(a)].op == "starred" ||
          g_.nodes[static_cast<size_t>(a)].op == "args_pack")
        return false;
    return true;
  }

  bool root_code(int32_t fid) const {
    return fid == g_.root.function || (g_.root.self_module >= 0 && p_.fn(fid).owner_module == g_.root.self_module);
  }

  // `Palette.MARK` / `ControlSequence.HANDOFF`: a class attribute of the tree read by its dotted
  // name (an Enum member, a class-level constant): the value the class body stores.
  int32_t class_constant(const ir::Node& n, int32_t fid) {
    auto dot = n.name.rfind('.');
    if (dot == std::string::npos || n.name.starts_with("torch.")) return -1;
    const int32_t cls = class_named(n.name.substr(0, dot));
    if (cls < 0) return -1;
    const ir::Attr* a = ir::module_attr(p_, cls, n.name.substr(dot + 1));
    if (!a || (a->type != "sequence" && a->kind != ir::AttrKind::Constant && a->kind != ir::AttrKind::PlainTensor))
      return -1;
    return attr_value(*a, n.loc, fid, n.name);
  }

  // The object a value holds when it is an object or None (`x if flag else None`, a variable bound
  // to either): the object; else the value itself.
  int32_t one_object(int32_t v) const {
    const FlatNode& x = g_.nodes[static_cast<size_t>(v)];
    if (!((x.op == "select" && x.args.size() == 3) || (x.op == "phi" && x.args.size() >= 2))) return v;
    int32_t object = -1;
    for (size_t i = x.op == "select" ? 1 : 0; i < x.args.size(); ++i) {
      const int32_t a = x.args[i];
      if (a < 0) continue;
      const FlatNode& y = g_.nodes[static_cast<size_t>(a)];
      if (y.op == "const" && y.name == "None" && !y.num) continue;
      if (y.op != "self" || (object >= 0 && object != a)) return v;
      object = a;
    }
    return object >= 0 ? object : v;
  }

  int32_t class_named(const std::string& qualname) {
    if (classes_.empty())
      for (const auto& m : p_.modules) classes_.emplace(m.qualname, m.id);
    auto it = classes_.find(qualname);
    return it == classes_.end() ? -1 : it->second;
  }

  // The Enum class of the tree whose member `v` is when the analysis cannot tell which member it
  // is (`Kind[name]`, `for k in Kind`); -1 otherwise.
  int32_t enum_of_member(int32_t v) {
    const FlatNode& x = g_.nodes[static_cast<size_t>(v)];
    if ((x.op != "getitem" && x.op != "iter_item") || x.args.empty() || x.args[0] < 0) return -1;
    const FlatNode& c = g_.nodes[static_cast<size_t>(x.args[0])];
    if (c.op != "global") return -1;
    const int32_t cls = class_named(c.name);
    return cls >= 0 && ir::is_enum(p_, cls) ? cls : -1;
  }

  // `member.value` of an unknown member of Enum class `cls`: each member's value, joined (a function
  // held as a member, also through functools.partial, as that function).
  int32_t enum_values(int32_t cls, const ir::Loc& loc, int32_t fid) {
    const ir::Module& m = p_.mod(cls);
    if (m.body_function < 0) return -1;
    const ir::Function& body = p_.fn(m.body_function);
    std::vector<int32_t> values;
    for (const std::string& name : m.fields) {
      auto it = m.class_vars.find(name);
      if (name.starts_with("_") || it == m.class_vars.end() || it->second < 0 || values.size() >= 16) continue;
      const ir::Node* v = &body.node(it->second);
      if (v->op == "call" && (v->name == "functools.partial" || v->name == "partial") && !v->args.empty())
        v = &body.node(v->args[0]);
      if ((v->op == "global" || v->op == "def" || v->op == "lambda") && v->target_function >= 0) {
        FlatNode d;
        d.op = "def";
        d.num = v->target_function;
        d.loc = loc;
        d.function = fid;
        values.push_back(add(std::move(d)));
      } else if (v->op == "global" && (v->name.starts_with("torch.") || v->name.starts_with("operator."))) {
        FlatNode d;  // a library function held as a member
        d.op = "global";
        d.name = v->name;
        d.loc = loc;
        d.function = fid;
        values.push_back(add(std::move(d)));
      } else if (int32_t x = foreign_value(body, it->second, loc, fid); x >= 0) {
        values.push_back(x);
      }
    }
    if (values.size() == 1) return values[0];
    // (which member it is is configuration, not data: no arm is a selection, see escaped_call)
    return values.empty() ? -1 : derived("may_run", std::move(values), loc, fid);
  }

  // The method `name` of the first class after `after` in the method resolution order of `cls`
  // (Module::mro), or -1.
  int32_t next_in_mro(int32_t cls, int32_t after, const std::string& name) const {
    const auto order = ir::mro(p_, cls);
    auto at = std::find(order.begin(), order.end(), after);
    if (at == order.end()) return -1;
    for (auto it = at + 1; it != order.end(); ++it)
      if (int32_t m = p_.mod(*it).method(name); m >= 0) return m;
    return -1;
  }

  bool can_inline(int depth) const { return depth < kMaxDepth && g_.nodes.size() < kMaxNodes; }

  bool module_learned(int32_t mod) const {
    for (int32_t c : ir::mro(p_, mod))
      for (const auto& a : p_.mod(c).attrs)
        if (attr_learned(a)) return true;
    return false;
  }

  // Inlines function `fid`; `args` bind its parameters in order (self first for methods).
  int32_t inline_fn(int32_t fid, const std::vector<int32_t>& args,
                    const std::vector<std::pair<std::string, int32_t>>& given_kwargs, int32_t self_mod, int depth,
                    const ir::Loc& call_loc) {
    // Recursion: left opaque; a module calling a module of its own class (a fractal or tree
    // block) still applies that module's learned weights.
    if (active_.count(fid)) return opaque("call", args, call_loc, self_mod >= 0 && module_learned(self_mod), fid);
    std::vector<std::pair<std::string, int32_t>> kwargs = given_kwargs;
    add_method_keywords(self_mod, fid, kwargs, call_loc);
    // A decorated function runs as its decorator's wrapper, which calls the original through a
    // closure variable (bound here to the undecorated body).
    if (const ir::Function& d = p_.fn(fid); d.wrapper >= 0 && !unwrapped_.count(fid) && !active_.count(d.wrapper)) {
      unwrapped_.insert(fid);
      auto saved = wrapped_;
      wrapped_[d.wrapper_parent] = fid;
      // The root's own decorator line (on its forward, or on a method of its class that inherited
      // code calls) is where the model hands its data to the wrapper.
      const ir::Loc saved_anchor = anchor_;
      if ((depth == 0 || root_code(fid)) && d.decorator_loc.valid()) {
        anchor_ = d.decorator_loc;
        keep_anchor_ = true;
      }
      int32_t r = inline_fn(d.wrapper, args, kwargs, self_mod, depth, call_loc);
      anchor_ = saved_anchor;
      wrapped_ = std::move(saved);
      unwrapped_.erase(fid);
      return r;
    }
    // A free function the constructor bound onto the instance (`self._condition =
    // types.MethodType(fn, self)`): where it was bound is on the way in.
    if (const ir::Function& d = p_.fn(fid); d.bound_at.valid() && d.owner_module >= 0 && d.bound_at.line != call_loc.line &&
                                            !entered_bound_.count(fid)) {
      entered_bound_.insert(fid);
      const int32_t r = with_frame(d.bound_at, [&] { return inline_fn(fid, args, given_kwargs, self_mod, depth, call_loc); });
      entered_bound_.erase(fid);
      return r;
    }
    if (const ir::Function& d = p_.fn(fid); d.wrapper_class >= 0 && !unwrapped_.count(fid)) {
      // An instance of a decorator class replaces the function: its __call__ runs, with the
      // decorator object as `self` and the original reached through that object.
      int32_t call = find_method(p_, d.wrapper_class, "__call__");
      if (call >= 0 && !active_.count(call)) {
        unwrapped_.insert(fid);
        auto saved = decorator_objects_;
        decorator_objects_[d.wrapper_class] = fid;
        const ir::Loc saved_anchor = anchor_;
        if (depth == 0 && d.decorator_loc.valid()) anchor_ = d.decorator_loc;
        std::vector<int32_t> with_self{self_node(d.wrapper_class, call_loc)};
        with_self.insert(with_self.end(), args.begin(), args.end());
        int32_t r = inline_fn(call, with_self, kwargs, d.wrapper_class, depth, call_loc);
        anchor_ = saved_anchor;
        decorator_objects_ = std::move(saved);
        unwrapped_.erase(fid);
        return r;
      }
    }
    if (const ir::Function& d = p_.fn(fid); !d.overloads.empty() && !dispatching_.count(fid)) {
      // A singledispatch generic runs the implementation registered for its argument's type:
      // any of them, as far as a static analysis knows.
      dispatching_.insert(fid);
      FlatNode phi;
      phi.op = "phi";
      phi.loc = call_loc;
      phi.function = fid;
      phi.args.push_back(inline_fn(fid, args, kwargs, self_mod, depth, call_loc));
      for (int32_t impl : d.overloads)
        if (!active_.count(impl) && can_inline(depth))
          phi.args.push_back(inline_fn(impl, args, kwargs, self_mod, depth, call_loc));
      dispatching_.erase(fid);
      return add(std::move(phi));
    }
    active_.insert(fid);
    const ir::Loc outer_anchor = anchor_;
    // A call made by the root's own code (its forward, or another method of the model's class).
    if (!keep_anchor_ && (depth == 1 || (!stack_.empty() && root_code(stack_.back())))) anchor_ = call_loc;
    keep_anchor_ = false;
    stack_.push_back(fid);
    const int32_t outer_stack = call_stack_;
    // Calling a module the call built (`self.head = Wrapper(head, ...)` in a context manager, then
    // `head(z)`): where it was built is on the way in too.
    const bool built = !args.empty() && args[0] >= 0 && built_during_call_.count(args[0]) &&
                       g_.nodes[static_cast<size_t>(args[0])].loc.valid();
    if (built) calls_.push_back(g_.nodes[static_cast<size_t>(args[0])].loc);
    calls_.push_back(call_loc);
    call_stack_ = -1;  // (interned when the first node of this call is added)
    const ir::Function& f = p_.fn(fid);
    std::vector<int32_t> map(f.nodes.size(), -1);
    std::vector<std::pair<size_t, size_t>> phi_fixups;  // (flat phi, ir node) whose args come later
    std::vector<int32_t> returns;
    std::vector<int32_t> return_conds;  // the branches an early `return` is under
    ir::Loc early_return;                // (the first such return: where the test decides)
    const int exits_before = exits_run_;
    frames_.emplace_back(fid, &map);
    // A @contextmanager's code after its `yield` (the `finally` that puts things back) runs when
    // the `with` block ends: what it stores must not undo, for the block, what the entry set.
    const bool context_manager = std::any_of(f.decorators.begin(), f.decorators.end(),
                                             [](const std::string& d) { return d.ends_with("contextmanager"); });
    bool yielded = false;
    for (const ir::Node& n : f.nodes) {
      if (context_manager && yielded && n.op == "setattr") continue;
      yielded |= n.op == "yield";
      // (`if off: yield; return` first: the code after that early return is the other path's entry)
      if (yielded && n.op == "return" && std::any_of(n.kwargs.begin(), n.kwargs.end(), [](const auto& kv) {
            return kv.first == "cond";
          }))
        yielded = false;
      // (what a call made while the module trains runs is training-only too: a loss, target matching)
      const bool training = n.has(ir::kTraining);
      training_ += training;
      int32_t id = lower_node(f, n, map, args, kwargs, self_mod, depth, returns, phi_fixups);
      training_ -= training;
      if (n.op == "return")
        for (const auto& [k, c] : n.kwargs)
          if (k == "cond" && c >= 0 && map[static_cast<size_t>(c)] >= 0 &&
              std::find(return_conds.begin(), return_conds.end(), map[static_cast<size_t>(c)]) == return_conds.end()) {
            if (return_conds.empty()) early_return = n.loc;
            return_conds.push_back(map[static_cast<size_t>(c)]);
          }
      if (n.op == "free" && id >= 0 && !cell_writes_.empty()) id = with_cell_writes(fid, n, id);
      map[static_cast<size_t>(n.id)] = id;
      if (fid == capture_fn_ && n.id == capture_node_) captured_ = id;
    }
    frames_.pop_back();
    for (auto [flat, irn] : phi_fixups) {
      auto& fn_node = g_.nodes[flat];
      fn_node.args.clear();
      for (ir::NodeId a : f.node(static_cast<ir::NodeId>(irn)).args)
        if (a >= 0 && map[static_cast<size_t>(a)] >= 0) fn_node.args.push_back(map[static_cast<size_t>(a)]);
      // A `while` loop's condition (evaluated at the head, after the phi): what decides how often
      // the body ran, and so the loop-carried values (`while x[t] == k: run += 1`). (A `for` loop
      // runs once per item: the items reach the body through the loop variable.)
      for (const auto& [k, a] : f.node(static_cast<ir::NodeId>(irn)).kwargs)
        if (k == "cond" && a >= 0 && map[static_cast<size_t>(a)] >= 0 && f.node(a).name == "while" &&
            std::none_of(fn_node.kwargs.begin(), fn_node.kwargs.end(),
                         [](const auto& kw) { return kw.first == "cond"; }))
          fn_node.kwargs.emplace_back("cond", map[static_cast<size_t>(a)]);
    }
    // (a join decided by a test in the callee is made inside the call, where the test is)
    int32_t decided = -1;
    const bool makes_generator =
        std::any_of(f.nodes.begin(), f.nodes.end(), [](const ir::Node& x) { return x.op == "yield"; });
    if (!return_conds.empty() && returns.size() > 1 && !makes_generator && exits_run_ == exits_before) {
      FlatNode phi;
      phi.op = "phi";
      phi.args = returns;
      for (int32_t c : return_conds) phi.kwargs.emplace_back("cond", c);
      // (`if not self.enabled: return x`: an arm that hands an argument back unchanged)
      for (int32_t r : returns)
        if (std::count(returns.begin(), returns.end(), r) == 1 && std::find(args.begin(), args.end(), r) != args.end() &&
            g_.nodes[static_cast<size_t>(r)].op != "self") {
          phi.kwargs.emplace_back("bypass", r);
          break;
        }
      phi.loc = early_return;
      phi.function = fid;
      decided = add(std::move(phi));
    }
    active_.erase(fid);
    stack_.pop_back();
    calls_.pop_back();
    if (built) calls_.pop_back();
    call_stack_ = outer_stack;
    anchor_ = outer_anchor;
    if (decided >= 0) return decided;
    // ExitStack callbacks ran at the end of a `with` block after its `return`: the returned objects
    // are returned as the callbacks left them (edited in place).
    if (exits_run_ != exits_before)
      for (int32_t& r : returns) r = current_object(r);
    // Calling a generator function makes a generator: iterating it gives the values it yields.
    const bool generator =
        std::any_of(f.nodes.begin(), f.nodes.end(), [](const ir::Node& x) { return x.op == "yield"; });
    if (returns.size() == 1 && !generator) return returns[0];
    FlatNode phi;
    phi.op = generator ? "generator" : returns.empty() ? "none" : "phi";
    phi.args = returns;

    phi.loc = call_loc;
    phi.function = fid;
    const int32_t made = add(std::move(phi));
    if (generator) {
      // (what its `return` statements hand back is the value of a `yield from` of it)
      std::vector<int32_t> returned;
      for (const ir::Node& n : f.nodes)
        if (n.op == "return" && !n.args.empty() && n.args[0] >= 0 && map[static_cast<size_t>(n.args[0])] >= 0)
          returned.push_back(map[static_cast<size_t>(n.args[0])]);
      generator_calls_[made] = GeneratorCall{fid, args, given_kwargs, self_mod, std::move(returned)};
    }
    return made;
  }

  // A module-level `contextvars.ContextVar(...)` of the tree.
  bool context_variable(const std::string& name) const {
    auto [mfi, id] = p_.global_binding(name);
    if (mfi < 0 || id < 0) return false;
    const ir::Node& made = p_.fn(mfi).node(id);
    return made.op == "call" && (made.name == "contextvars.ContextVar" || made.name == "ContextVar");
  }

  // The output of a call of submodule `attr` after the forward hooks registered on it while the
  // model runs: each hook's result, when it returns one, replaces the output.
  int32_t hooked(const ir::Attr* attr, int32_t out, const std::vector<int32_t>& args, const ir::Loc& loc, int32_t fid,
                 int depth) {
    auto it = forward_hooks_.find(attr);
    if (it == forward_hooks_.end() || out < 0 || !can_inline(depth)) return out;
    FlatNode inputs;
    inputs.op = "tuple";
    inputs.args = args;
    inputs.loc = loc;
    inputs.function = fid;
    const int32_t packed = add(std::move(inputs));
    for (const RunTimeHook& h : it->second) {
      // (where the hook was registered is on the way in)
      const int32_t r =
          with_frame(h.registered_at, [&] { return call_value(h.hook, {h.module, packed, out}, {}, loc, fid, depth + 1); });
      if (r < 0) continue;
      const FlatNode& rn = g_.nodes[static_cast<size_t>(r)];
      if (rn.op == "none" || (rn.op == "const" && rn.name == "None")) continue;
      out = r;
    }
    return out;
  }

  // `gen.send(v)` on a generator a call of the tree made: its body runs again with every `yield`
  // expression evaluating to `v` (`h = yield h`), and the call returns what it yields.
  int32_t sent_to_generator(int32_t gen, int32_t value, const ir::Loc& loc, int depth) {
    auto it = generator_calls_.find(gen);
    if (it == generator_calls_.end() || !can_inline(depth) || active_.count(it->second.fid) || sent_.size() > 2)
      return -1;
    const GeneratorCall call = it->second;
    sent_.push_back(value);
    const int32_t again = inline_fn(call.fid, call.args, call.kwargs, call.self_mod, depth + 1, loc);
    sent_.pop_back();
    if (again < 0 || g_.nodes[static_cast<size_t>(again)].op != "generator") return -1;
    std::vector<int32_t> yielded = g_.nodes[static_cast<size_t>(again)].args;
    if (yielded.empty()) return -1;
    if (yielded.size() == 1) return yielded[0];
    return derived("phi", std::move(yielded), loc, call.fid);
  }

  int32_t lower_node(const ir::Function& f, const ir::Node& n, std::vector<int32_t>& map,
                     const std::vector<int32_t>& args, const std::vector<std::pair<std::string, int32_t>>& kwargs,
                     int32_t self_mod, int depth, std::vector<int32_t>& returns,
                     std::vector<std::pair<size_t, size_t>>& phi_fixups) {
    auto m = [&](ir::NodeId a) {
      return a >= 0 && static_cast<size_t>(a) < map.size() ? latest(map[static_cast<size_t>(a)]) : -1;
    };
    // `fn(*args, **kwargs)` with the packs a `*args` / `**kwargs` parameter collected: the
    // arguments they hold are passed on one by one.
    auto pack = [&](ir::NodeId a, const char* kind) -> const FlatNode* {
      if (a < 0 || f.node(a).op != "starred" || f.node(a).args.empty()) return nullptr;
      int32_t v = m(f.node(a).args[0]);
      if (v < 0 || g_.nodes[static_cast<size_t>(v)].op != kind) return nullptr;
      return &g_.nodes[static_cast<size_t>(v)];
    };
    // `fn(**m)` with m a mapping the analysis knows (a dict literal, a `**kwargs` pack).
    auto splat = [&](ir::NodeId a, std::vector<std::pair<std::string, int32_t>>* out) {
      if (a < 0 || f.node(a).op != "starred" || f.node(a).name != "**" || f.node(a).args.empty()) return false;
      std::vector<std::pair<std::string, int32_t>> entries;
      const int32_t mv = m(f.node(a).args[0]);
      // (`**self.opts` with `opts` the keywords the construction sites passed: those entries)
      if (const ir::Attr* d = mv >= 0 ? g_.nodes[static_cast<size_t>(mv)].attr : nullptr;
          d && d->type == "dict" && !d->children.empty()) {
        if (out)
          for (const ir::Attr& e : d->children) out->emplace_back(e.name, attr_value(e, n.loc, f.id, e.name));
        return true;
      }
      if (!mapping_entries(mv, entries, 0)) return false;
      if (out) out->insert(out->end(), entries.begin(), entries.end());
      return true;
    };
    auto mapped_args = [&] {
      std::vector<int32_t> v;
      for (ir::NodeId a : n.args) {
        if (const FlatNode* t = pack(a, "args_pack"))
          v.insert(v.end(), t->args.begin(), t->args.end());
        else if (const FlatNode* tu = pack(a, "tuple"); tu && f.node(a).name != "**")
          v.insert(v.end(), tu->args.begin(), tu->args.end());  // step(*acc) with acc = (y, x)
        else if (const FlatNode* li = pack(a, "list"); li && f.node(a).name != "**")
          v.insert(v.end(), li->args.begin(), li->args.end());
        else if (pack(a, "kwargs_pack") || splat(a, nullptr))
          continue;
        else if (f.node(a).op == "starred" && f.node(a).name == "**")
          continue;  // (a mapping the analysis does not know: keywords, not a positional argument)
        else if (m(a) >= 0)
          v.push_back(m(a));
      }
      return v;
    };
    auto mapped_kwargs = [&] {
      std::vector<std::pair<std::string, int32_t>> v;
      for (const auto& [k, a] : n.kwargs)
        if (k != "self" && m(a) >= 0) v.emplace_back(k, m(a));
      for (ir::NodeId a : n.args)
        if (const FlatNode* t = pack(a, "kwargs_pack"))
          v.insert(v.end(), t->kwargs.begin(), t->kwargs.end());
        else
          splat(a, &v);
      return v;
    };
    const int32_t fid = f.id;
    // getattr(sys.modules[__name__], "_prep_" + mode): a family of module-level functions.
    if (n.op == "attr" && n.args.size() == 1 && m(n.args[0]) >= 0 && n.name.find("{}") != std::string::npos)
      if (int32_t v = namespace_family(m(n.args[0]), n.name, f, n.loc); v >= 0) return v;

    // `_gt(a, b)` / `_scale_of(h)` with `_gt = operator.gt`, `_scale_of = operator.methodcaller(
    // "amax", dim=-1)` at module level: the callable the name is bound to, called.
    if (n.op == "call" && n.target_function < 0 && n.target_module < 0 && n.name.find('.') != std::string::npos &&
        can_inline(depth))
      if (const auto bound = p_.global_binding(n.name); bound.first >= 0 && bound.second >= 0) {
        const int32_t mfi = bound.first;  // (a plain local: lambdas below read it)
        const ir::Node& b = p_.fn(mfi).node(bound.second);
        const bool alias = (b.op == "global" && b.name.starts_with("operator.")) ||
                           (b.op == "call" && (b.name == "operator.methodcaller" || b.name == "operator.itemgetter"));
        if (alias) {
          FlatNode callee;
          callee.op = b.op;
          callee.name = b.name;
          callee.loc = n.loc;
          callee.function = fid;
          const auto value = [&](ir::NodeId a) {  // (a string literal stays the literal)
            const ir::Node& x = p_.fn(mfi).node(a);
            if (x.op != "const" || x.num) return foreign_value(p_.fn(mfi), a, n.loc, fid);
            FlatNode c;
            c.op = "const";
            c.name = x.name;
            c.loc = n.loc;
            c.function = fid;
            return add(std::move(c));
          };
          for (ir::NodeId a : b.args) callee.args.push_back(value(a));
          for (const auto& [k, a] : b.kwargs) callee.kwargs.emplace_back(k, value(a));
          if (std::none_of(callee.args.begin(), callee.args.end(), [](int32_t a) { return a < 0; }))
            return call_value(add(std::move(callee)), mapped_args(), mapped_kwargs(), n.loc, fid, depth);
        }
      }

    if (n.op == "param") {
      size_t pos = n.num ? static_cast<size_t>(*n.num) : 0;
      bool star = false, double_star = false;
      for (const auto& [k, v] : n.kwargs) {
        star |= k == "star";
        double_star |= k == "double_star";
      }
      if (star || double_star) {
        FlatNode pk;
        pk.op = star ? "args_pack" : "kwargs_pack";
        pk.name = n.name;
        pk.loc = n.loc;
        pk.function = fid;
        if (star && pos < args.size()) pk.args.assign(args.begin() + static_cast<long>(pos), args.end());
        if (double_star)
          for (const auto& kv : kwargs)
            if (std::find(f.params.begin(), f.params.end(), kv.first) == f.params.end()) pk.kwargs.push_back(kv);
        // `def forward(self, **batch)` of the root: the entries the caller passes are the model's
        // input (`batch["lanes"]` reads it), none of them known here.
        if (double_star && pos < args.size() && args[pos] >= 0 &&
            (g_.nodes[static_cast<size_t>(args[pos])].flags & kFlatInput))
          pk.args = {args[pos]};
        return add(std::move(pk));
      }
      if (pos < args.size() && args[pos] >= 0) return args[pos];
      for (const auto& [k, v] : kwargs)
        if (k == n.name) return v;
      for (const auto& [k, v] : n.kwargs)
        if (k == "default" && m(v) >= 0) {
          // A mutable default (`_state={}`) is one object made when the def ran: every call that
          // leaves it out shares it (and what earlier calls stored in it).
          const std::string& made = f.node(v).op;
          if (made != "dict" && made != "list" && made != "set") return m(v);
          auto [it, fresh] = default_objects_.try_emplace({f.id, v}, m(v));
          if (fresh) default_object_nodes_.insert(it->second);
          return latest(it->second);
        }
      if (pos == 0 && f.owner_module >= 0 && self_mod >= 0) return self_node(self_mod, n.loc);
      FlatNode u;
      u.op = "param";
      u.name = n.name;
      u.loc = n.loc;
      u.function = fid;
      return add(std::move(u));
    }
    if (n.op == "attr" && !n.args.empty()) {
      int32_t base = m(n.args[0]);
      // (a copy: the lookups below add nodes, which may move the graph's storage)
      const std::optional<FlatNode> base_node =
          base >= 0 ? std::optional<FlatNode>(g_.nodes[static_cast<size_t>(base)]) : std::nullopt;
      const FlatNode* b = base_node ? &*base_node : nullptr;
      // cls.provider_tile in a classmethod: the class attribute.
      if (b && b->op == "class" && b->num)
        if (const ir::Attr* a = ir::module_attr(p_, static_cast<int32_t>(*b->num), n.name))
          return attr_value(*a, n.loc, fid, n.name);
      // self.epoch with `epoch = Descriptor()` in the class body: Descriptor.__get__(d, self, cls).
      if (b && b->op == "self" && b->num && can_inline(depth))
        if (int32_t d = descriptor(static_cast<int32_t>(*b->num), n.name, "__get__", n.loc, fid); d >= 0) {
          const int32_t cls = static_cast<int32_t>(g_.nodes[static_cast<size_t>(d)].num.value_or(-1));
          return inline_fn(find_method(p_, cls, "__get__"), {d, base}, {}, cls, depth + 1, n.loc);
        }
      if (b && b->op == "self" && b->num && static_cast<int32_t>(*b->num) == g_.root.self_module &&
          std::find(g_.root.input_attrs.begin(), g_.root.input_attrs.end(), n.name) != g_.root.input_attrs.end()) {
        return input_attr(n.name, n.loc, fid);
      }
      if (b && b->op == "self" && b->num && static_cast<int32_t>(*b->num) == g_.root.self_module)
        if (auto st = state_.find(n.name); st != state_.end()) return st->second;  // written earlier in this call
      if (b && !(b->op == "self" && b->num && static_cast<int32_t>(*b->num) == g_.root.self_module))
        if (auto st = object_state_.find({base, n.name}); st != object_state_.end()) return st->second;
      // err.placeholder with err a join of objects (the instance a guarded `raise` made): the
      // field of each, joined on the same test.
      if (b && b->op == "phi" && !b->args.empty()) {
        FlatNode phi;
        phi.op = "phi";
        phi.kwargs = b->kwargs;
        phi.loc = n.loc;
        phi.function = fid;
        for (int32_t a : b->args)
          if (auto st = object_state_.find({a, n.name}); st != object_state_.end()) phi.args.push_back(st->second);
        if (phi.args.size() == b->args.size()) return add(std::move(phi));
        // h.flag set on the tensor entering a loop (`h.hand_contact = test`), read by the loop body
        // through the loop's join: the first iteration reads it (later ones hold new tensors).
        if (!phi.args.empty() && (b->flags & kFlatLoopHeader)) return join(std::move(phi.args), n.loc, fid);
      }
      if (const StoredState* st = submodule_state(base, n.name)) return st->value;
      if (b && b->op == "self" && b->num) {
        // self.device / self.scale: a @property runs its getter (a data descriptor wins over an
        // attribute of the same name).
        if (int32_t getter = find_method(p_, static_cast<int32_t>(*b->num), n.name);
            getter >= 0 && is_property(getter) && can_inline(depth))
          return inline_fn(getter, {base}, {}, static_cast<int32_t>(*b->num), depth + 1, n.loc);
        if (int32_t v = fitting_attrs(static_cast<int32_t>(*b->num), n.name, n.loc, fid, base); v >= 0) return v;
        const ir::Attr* a = ir::module_attr(p_, static_cast<int32_t>(*b->num), n.name);
        if (a) return bind_receiver(attr_value(*a, n.loc, fid, n.name), base);
        // No such attribute, and the class answers unknown names itself (`__getattr__` falling back
        // to its configuration, as research code often does): the configuration's field.
        if (find_method(p_, static_cast<int32_t>(*b->num), "__getattr__") >= 0)
          if (int32_t v = unknown_object_field(n.name, n.loc, fid); v >= 0) return v;
      }
      if (b && b->op == "instance" && b->src_function >= 0)
        if (int32_t v = instance_field(*b, n.name, n.loc, fid); v >= 0) return v;
      if (b && b->op == "module_arg") {
        if (auto st = passed_object_state_.find(n.name); st != passed_object_state_.end()) return st->second;
        if (int32_t v = argument_default_field(*b, n.name, n.loc, fid); v >= 0) return v;
        if (int32_t v = unknown_object_field(n.name, n.loc, fid); v >= 0) return v;
      }
      if (b && b->op == "dict")  // out.embeddings of a record built in the graph
        if (int32_t v = mapping_value(base, n.name); v >= 0) return v;
      // batch.point_mask of a record built in the graph: its class's @property runs on it.
      if (auto rc = record_class_.find(base); rc != record_class_.end() && can_inline(depth))
        if (int32_t getter = find_method(p_, rc->second, n.name); getter >= 0 && is_property(getter))
          return inline_fn(getter, {base}, {}, rc->second, depth + 1, n.loc);
      if (b && (b->op == "layer_ref" || b->op == "self") && (n.name == "weight" || n.name == "bias")) {
        FlatNode w;
        w.op = "attr";
        w.name = n.name;
        w.loc = n.loc;
        w.function = fid;
        w.flags = kFlatParam;
        return add(std::move(w));
      }
    }
    if ((n.op == "getitem" && n.args.size() == 2) || (n.op == "attr" && n.args.size() == 1)) {
      // state["k"] / state.k filled by a pre-hook: the value the pre-hook computed from its input.
      const ir::Node& cell = f.node(n.args[0]);
      std::string key = n.op == "attr" ? n.name : f.node(n.args[1]).name;
      if (cell.op == "free")
        for (const auto& st : g_.root.stashes)
          if (st.module < 0 && st.cell_owner == cell.target_function && st.cell == cell.name && st.key == key)
            if (int32_t v = stashed_value(st, n.loc, depth); v >= 0) return v;
      // scene["k"] in a hook with `scene` bound by a partial: what another hook stored in that object
      const auto& cells = g_.root.bound_cells;
      if (cell.op == "param" && f.id == g_.root.function && !g_.root.hook_object && cell.num && *cell.num >= 0 &&
          *cell.num < cells.size() && !cells[static_cast<size_t>(*cell.num)].empty())
        for (const auto& st : g_.root.stashes)
          if (st.module < 0 && st.cell_owner < 0 && st.cell == cells[static_cast<size_t>(*cell.num)] && st.key == key)
            if (int32_t v = stashed_value(st, n.loc, depth); v >= 0) return v;
      // block.gate in a hook on that block, self.gate in its forward: what a pre-hook set there.
      if (n.op == "attr") {
        if (int32_t cls = module_of_receiver(f, n.args[0], m(n.args[0])); cls >= 0) {
          for (const auto& st : g_.root.stashes)
            if (st.module >= 0 && st.member.empty() && st.key == key && is_a(cls, st.module))
              if (int32_t v = stashed_value(st, n.loc, depth); v >= 0) return v;
        } else if (const Root::Stash* only = sole_attribute_stash(key); only && m(n.args[0]) >= 0) {
          // `module._owner()._radiograph` in a hook, the object unknown here (a weak reference set
          // from outside): the one attribute of that name a pre-hook fills with a model's input.
          if (int32_t v = stashed_value(*only, n.loc, depth); v >= 0) return v;
        }
      }
    }
    // self.ctx["k"] / .get("k") / .pop("k"): what a bound-method pre-hook of the object stored there.
    if (int32_t v = member_stash_read(f, n, m, depth); v >= 0) return v;
    // conv.fill in a function hook on conv: what the registering function set there beside the
    // registration (`module.fill = torch.tensor(FILL); module.register_forward_pre_hook(h)`).
    if (n.op == "attr" && n.args.size() == 1 && installed_attribute_hook(f, n.args[0]))
      if (int32_t v = installed_attribute(n.name, n.loc, fid); v >= 0) return v;
    if (n.op == "attr" && n.name == "value" && n.args.size() == 1 && m(n.args[0]) >= 0 &&
        (g_.nodes[static_cast<size_t>(m(n.args[0]))].flags & kFlatSequence))
      return m(n.args[0]);  // Member.value of an Enum whose members are stored sequences
    if (n.name == "value" && (n.op == "attr" || n.op == "value") && !n.args.empty() && m(n.args[0]) >= 0)
      if (int32_t cls = enum_of_member(m(n.args[0])); cls >= 0)
        if (int32_t v = enum_values(cls, n.loc, fid); v >= 0) {
          if (n.op == "attr") return v;
          std::vector<int32_t> a = mapped_args();  // Kind[name].value(x): the member's function, called
          a.erase(a.begin());
          return call_value(v, a, mapped_kwargs(), n.loc, fid, depth);
        }
    if (n.op == "iter_item" && n.args.size() == 1 && m(n.args[0]) >= 0 && can_inline(depth))
      if (int32_t item = custom_iteration(m(n.args[0]), n.loc, depth); item >= 0) return item;
    if ((n.op == "iter_item" && n.args.size() == 1) || (n.op == "call" && n.name == "next" && !n.args.empty())) {
      // for name, x in stage(...): / next(gen): what the generator yields.
      std::vector<int32_t> yielded;
      if (yields(m(n.args[0]), yielded, 0)) return join(std::move(yielded), n.loc, fid);
    }
    // (an index beyond any tuple's size, or not finite, picks nothing: `long` could not hold it)
    if (n.op == "getitem" && n.args.size() == 2 && index_value(f.node(n.args[1])) &&
        std::fabs(*index_value(f.node(n.args[1]))) < 1e9 && m(n.args[0]) >= 0) {
      // (a, b, c)[1] of a tuple the analysis built (or of any of the tuples a variable may hold):
      // the element, not the whole tuple.
      const double k = *index_value(f.node(n.args[1]));
      std::vector<int32_t> picked;
      if (k == static_cast<double>(static_cast<long>(k)) &&
          tuple_elements(m(n.args[0]), static_cast<long>(k), picked, 0))
        return join(std::move(picked), n.loc, fid);
      // ((a, b) if cond else (c, d))[0]: the element of the tuple the test picks.
      if (const FlatNode& sel = g_.nodes[static_cast<size_t>(m(n.args[0]))];
          sel.op == "select" && sel.args.size() == 3 && k == static_cast<double>(static_cast<long>(k))) {
        std::vector<int32_t> yes, no;
        if (tuple_elements(sel.args[1], static_cast<long>(k), yes, 0) && yes.size() == 1 &&
            tuple_elements(sel.args[2], static_cast<long>(k), no, 0) && no.size() == 1)
          return derived("select", {sel.args[0], yes[0], no[0]}, n.loc, fid);
      }
      // for row, code in zip(logits, codes): the k-th sequence's item, not a mix of all of them.
      const FlatNode& item = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (item.op == "iter_item" && item.args.size() == 1 && item.args[0] >= 0 && k >= 0) {
        const FlatNode& z = g_.nodes[static_cast<size_t>(item.args[0])];
        if (z.op == "call" && (z.name == "zip" || z.name == "builtins.zip") && static_cast<size_t>(k) < z.args.size() &&
            k == static_cast<double>(static_cast<long>(k))) {
          return derived("iter_item", {z.args[static_cast<size_t>(k)]}, n.loc, fid);
        }
        // for i, (rnn, drop) in enumerate(zip(...)): the item is the sequence's (the index is a count).
        if (z.op == "call" && (z.name == "enumerate" || z.name == "builtins.enumerate") && k == 1 && !z.args.empty())
          return derived("iter_item", {z.args[0]}, n.loc, fid);
      }
    }
    if (n.op == "getitem" && n.args.size() == 2 && !index_value(f.node(n.args[1])) && m(n.args[0]) >= 0 &&
        m(n.args[1]) >= 0) {
      // (row, void)[code == TEST]: a pair indexed by a computed truth value picks one of the two,
      // as `void if code == TEST else row` does.
      const FlatNode* pair = &g_.nodes[static_cast<size_t>(m(n.args[0]))];
      int32_t chooser = m(n.args[1]);
      if (pair->op == "stack" && !pair->args.empty()) {
        // torch.stack((logits, forced))[hit.long(), torch.arange(B)]: per sample, one of the two.
        const FlatNode& idx = g_.nodes[static_cast<size_t>(chooser)];
        if (idx.op == "tuple" && !idx.args.empty()) chooser = idx.args[0];
        pair = &g_.nodes[static_cast<size_t>(pair->args[0])];
      }
      if ((pair->op == "tuple" || pair->op == "list") && pair->args.size() == 2 && exact_tuple(*pair) &&
          g_.nodes[static_cast<size_t>(chooser)].op != "const" &&
          g_.nodes[static_cast<size_t>(chooser)].op != "slice" &&
          g_.nodes[static_cast<size_t>(chooser)].op != "tuple") {
        return derived("select", {chooser, pair->args[1], pair->args[0]}, n.loc, fid);
      }
    }
    if ((n.op == "take_along_dim" || n.op == "gather") && n.args.size() >= 2 && m(n.args[0]) >= 0) {
      // take_along_dim(stack((ids, canned), -1), sel, -1) / gather(stack(...), dim, sel): per
      // element, one of the two stacked values, as where(sel, canned, ids) picks.
      const FlatNode& st = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      const ir::NodeId sel = n.op == "gather" ? (n.args.size() >= 3 ? n.args[2] : ir::kNoNode) : n.args[1];
      if (st.op == "stack" && !st.args.empty() && sel >= 0 && m(sel) >= 0) {
        const FlatNode& pair = g_.nodes[static_cast<size_t>(st.args[0])];
        const FlatNode& chooser = g_.nodes[static_cast<size_t>(m(sel))];
        if ((pair.op == "tuple" || pair.op == "list") && pair.args.size() == 2 && exact_tuple(pair) &&
            chooser.op != "const" && chooser.op != "slice")
          return derived("select", {m(sel), pair.args[1], pair.args[0]}, n.loc, fid);
      }
    }
    if (n.op == "getitem" && n.args.size() == 2)
      if (int32_t c = global_dict_item(f.node(n.args[0]), f.node(n.args[1]), n.loc, fid); c >= 0) return c;
    if (n.op == "getitem" && n.args.size() == 2 && f.node(n.args[0]).op == "global")
      if (auto key = string_value(m(n.args[1])))
        if (int32_t fn = global_table_function(f.node(n.args[0]), *key); fn >= 0) {
          // Postprocess.TABLE[self.post], the key a setting folded here: the function it holds.
          return function_node(fn, *key, n.loc, fid);
        }
    // FINISHERS[self.profile] with a module-level dict of functions and callable objects, the key a
    // setting: any entry may be the one configured (which one is no decision of the data).
    if (n.op == "getitem" && n.args.size() == 2 && f.node(n.args[0]).op == "global" &&
        f.node(n.args[1]).op != "const" && can_inline(depth))
      if (int32_t any = configured_table_entry(f.node(n.args[0]), n.loc, fid); any >= 0) return any;
    // state.img of a record the call built (a NamedTuple / dataclass instance, `state._replace(h=v)`):
    // the field's value.
    if (n.op == "attr" && n.args.size() == 1 && m(n.args[0]) >= 0) {
      const std::string& rop = g_.nodes[static_cast<size_t>(m(n.args[0]))].op;
      if (rop == "_replace" || (rop == "call" && g_.nodes[static_cast<size_t>(m(n.args[0]))].name == "dataclasses.replace"))
        if (int32_t v = mapping_value(m(n.args[0]), n.name); v >= 0) return v;
    }
    if ((n.op == "getitem" || n.op == "get") && n.args.size() >= 2 && f.node(n.args[1]).op == "const" &&
        !f.node(n.args[1]).num) {
      // outputs["hidden_states"] / kwargs.get("signal") of a dict the model built or the keywords a
      // call passed: the value stored under the key.
      if (int32_t v = mapping_value(m(n.args[0]), f.node(n.args[1]).name); v >= 0) return v;
      // NA_CODES["heading"] with `NA_CODES = {"sog": 102.3, "heading": 511.0}` at module level: the number.
      if (const int32_t base = m(n.args[0]); base >= 0 && g_.nodes[static_cast<size_t>(base)].op == "attr" &&
                                             g_.nodes[static_cast<size_t>(base)].args.empty())
        if (auto [mfi, dict] = p_.global_binding(g_.nodes[static_cast<size_t>(base)].name); mfi >= 0 && dict >= 0)
          if (const ir::NodeId e = ir::dict_entry(p_.fn(mfi), dict, f.node(n.args[1]).name);
              e >= 0 && p_.fn(mfi).node(e).num)
            return constant(f.node(n.args[1]).name, *p_.fn(mfi).node(e).num, n.loc, fid);
    }
    if (n.op == "getitem" && n.args.size() == 2 && m(n.args[0]) >= 0 && g_.nodes[static_cast<size_t>(m(n.args[0]))].op == "rows" &&
        g_.nodes[static_cast<size_t>(m(n.args[0]))].attr) {
      // self.schedule[i][1]: the part at that place of every row, any of them.
      if (const std::optional<double> k = index_value(f.node(n.args[1])); k && *k >= 0) {
        const ir::Attr& table = *g_.nodes[static_cast<size_t>(m(n.args[0]))].attr;
        std::vector<int32_t> parts;
        for (const auto& child : table.children)
          if (child.row_part == static_cast<int32_t>(*k) && parts.size() < 16)
            parts.push_back(attr_value(child, n.loc, fid, table.name + "." + child.name));
        if (!parts.empty()) return parts.size() == 1 ? parts.front() : derived("phi", std::move(parts), n.loc, fid);
      }
    }
    if (n.op == "getitem" && n.args.size() == 2) {
      int32_t base = m(n.args[0]);
      // (a slice, `self.blocks[1:]`, is a part of the container, not one child: see container_slice)
      if (base >= 0 && g_.nodes[static_cast<size_t>(base)].op == "container" &&
          g_.nodes[static_cast<size_t>(base)].attr && f.node(n.args[1]).op != "slice") {
        const ir::Attr& c = *g_.nodes[static_cast<size_t>(base)].attr;
        const ir::Node& idx = f.node(n.args[1]);
        const std::optional<double> at = index_value(idx);
        std::string key = at ? std::to_string(static_cast<long long>(*at)) : idx.op == "param" ? std::string() : idx.name;
        // self.stages[self._i] with `_i` a number the flow knows here
        if (!at && m(n.args[1]) >= 0 && g_.nodes[static_cast<size_t>(m(n.args[1]))].op == "const" &&
            g_.nodes[static_cast<size_t>(m(n.args[1]))].num)
          key = std::to_string(static_cast<long long>(*g_.nodes[static_cast<size_t>(m(n.args[1]))].num));
        // self.schedule[i] at an index known only at run time, in a table of rows `(rank, fn)`: any
        // row, whose parts a constant index then picks (see row_part below).
        const bool rows = std::any_of(c.children.begin(), c.children.end(),
                                      [](const ir::Attr& ch) { return ch.row_part >= 0; });
        const bool run_time_index = !at && idx.op != "const" &&
                                    !(m(n.args[1]) >= 0 && g_.nodes[static_cast<size_t>(m(n.args[1]))].op == "const");
        if (run_time_index && rows && c.kind != ir::AttrKind::Container) {
          FlatNode any = g_.nodes[static_cast<size_t>(base)];
          any.op = "rows";
          any.loc = n.loc;
          any.function = fid;
          return add(std::move(any));
        }
        // (an f-string key, `self.blocks[f"b{res}"]`, reads the entries kept under its template;
        // `b8` reads one kept under `b{}`)
        const std::string tmpl = !idx.args.empty() ? ir::name_template(key) : key;
        for (const auto& child : c.children)
          if (child.name == key || child.name == "*" || child.name == tmpl ||
              (child.name.find("{}") != std::string::npos && ir::fits_template(child.name, key)))
            return attr_value(child, n.loc, fid, c.name + "." + key);
        // An entry chosen by a key not known here: stands for every entry when called.
        bool folded = at || (idx.op == "const" && !idx.name.empty());
        if (!folded && (c.type == "dict" || c.type == "ModuleDict")) {
          // The key travels with the entry: calling it merges every entry's result on that key.
          if (m(n.args[1]) < 0) return base;
          FlatNode keyed = g_.nodes[static_cast<size_t>(base)];
          keyed.args = {m(n.args[1])};
          keyed.loc = n.loc;
          keyed.function = fid;
          return add(std::move(keyed));
        }
      }
    }
    if (n.op == "module_call") {
      std::vector<int32_t> a = mapped_args();
      int32_t recv = -1;
      for (const auto& [k, v] : n.kwargs)
        if (k == "self") recv = m(v);
      int32_t mod =
          recv >= 0 && g_.nodes[static_cast<size_t>(recv)].op == "self" && g_.nodes[static_cast<size_t>(recv)].num
              ? static_cast<int32_t>(*g_.nodes[static_cast<size_t>(recv)].num)
              : self_mod;
      // self.gate(x) after the call stored another module there (`self.trunk[1].gate = Gate(keep)`).
      if (n.name.find('.') == std::string::npos)
        if (const StoredState* st =
                submodule_state(recv >= 0                                       ? recv
                                : f.owner_module >= 0 && !f.param_nodes.empty() ? m(f.param_nodes[0])
                                                                                : -1,
                                n.name))
          return call_stored(*st, a, mapped_kwargs(), n.loc, fid, depth);
      // self.head(z) in an instance built during the call: what its constructor stored there.
      if (recv >= 0 && n.name.find('.') == std::string::npos && g_.nodes[static_cast<size_t>(recv)].op == "self")
        if (auto st = object_state_.find({recv, n.name}); st != object_state_.end())
          return call_value(st->second, a, mapped_kwargs(), n.loc, fid, depth);
      // self.table[key](x): the receiver is a container value (an entry chosen at run time), or
      // the entries a mapping object's item read can give (a join of functions).
      // (`self.fns[0](x)`, an entry at a fixed index, likewise: `fns.0`)
      static const std::set<std::string> entries = {"container", "phi", "def", "lambda", "partial"};
      const std::string entry = n.name.substr(n.name.rfind('.') + 1);
      const bool indexed = n.name.find('.') != std::string::npos &&
                           (entry == "*" || (!entry.empty() && std::all_of(entry.begin(), entry.end(), [](unsigned char ch) { return std::isdigit(ch) != 0; })));
      if (recv >= 0 && indexed && entries.count(g_.nodes[static_cast<size_t>(recv)].op))
        return call_value(recv, a, mapped_kwargs(), n.loc, fid, depth);
      // self.stats["worst"](x) with that entry an operator.methodcaller: the method it names.
      if (recv >= 0 && n.name.find('.') != std::string::npos && g_.nodes[static_cast<size_t>(recv)].op == "methodcaller")
        return call_value(recv, a, mapped_kwargs(), n.loc, fid, depth);
      // self.table.items() / .values(): the container, iterated by the loop that reads it.
      if (recv >= 0 && g_.nodes[static_cast<size_t>(recv)].op == "container" &&
          (n.name.ends_with(".items") || n.name.ends_with(".values")))
        return recv;
      // self.torso[:2](x): a slice of an nn.Sequential is a Sequential of those layers.
      if (recv >= 0)
        if (const ir::Attr* part = container_slice(recv)) return call_container(*part, a, n.loc, fid, depth, false);
      // (`self.stages[i](x)` with a `__getitem__` of the class handing out `self.items[i]`: that item)
      // (and `self._modules[name](x)`: the submodule table read by a name known at run time)
      if (recv >= 0 && n.name.ends_with(".*") && g_.nodes[static_cast<size_t>(recv)].op == "getitem" &&
          !g_.nodes[static_cast<size_t>(recv)].args.empty() && g_.nodes[static_cast<size_t>(recv)].args[0] >= 0 &&
          (g_.nodes[static_cast<size_t>(g_.nodes[static_cast<size_t>(recv)].args[0])].op == "container" ||
           n.name == "_modules.*"))
        return call_value(recv, a, mapped_kwargs(), n.loc, fid, depth);
      // recv.method(...) where the receiver turned out to be data (self.pattern[-n:].expand_as(x)).
      // (In a method of a tensor subclass `self` is that data: `self.as_subclass(torch.Tensor)`, and
      // `self.to_db()` runs the class's own method.)
      if (recv >= 0) {
        const std::string& rop = g_.nodes[static_cast<size_t>(recv)].op;
        bool module_like = rop == "self" || rop == "container" || rop == "layer_ref" || rop == "def" ||
                           rop == "module_arg" || rop == "lambda";
        auto dot = n.name.rfind('.');
        const std::string method = dot == std::string::npos ? n.name : n.name.substr(dot + 1);
        {
          std::vector<int32_t> with_self{recv};
          with_self.insert(with_self.end(), a.begin(), a.end());
          if (int32_t r = tensor_subclass_call(method, with_self, mapped_kwargs(), n.loc, depth); r >= 0) return r;
        }
        if (!module_like && rop != "attr" && (dot != std::string::npos || tensor_class_.count(recv))) {
          bool ip = false;
          FlatNode t;
          t.op = ir::canonical_op(method, &ip);
          t.args.push_back(recv);
          t.args.insert(t.args.end(), a.begin(), a.end());
          t.kwargs = mapped_kwargs();
          t.loc = n.loc;
          t.function = fid;
          return add(std::move(t));
        }
      }
      // self.rules[1](ids, logits): the receiver is the called object itself (an item of a tuple
      // of callable objects), so it runs its own __call__ / forward.
      // (also an entry read by a key known only at run time, `self.taps[name](h)`: `taps.*`)
      if (recv >= 0 && g_.nodes[static_cast<size_t>(recv)].op == "self" && g_.nodes[static_cast<size_t>(recv)].num &&
          (g_.nodes[static_cast<size_t>(recv)].name == n.name || n.name.ends_with(".*")) && mod != self_mod)
        return call_value(recv, a, mapped_kwargs(), n.loc, fid, depth);
      const ir::Attr* attr = mod >= 0 ? ir::module_attr(p_, mod, n.name) : nullptr;
      if (attr && mod >= 0) {
        // A class __getattr__ that hands out a wrapper (functools.partial(fn, module)) for this name.
        if (int32_t redirected = getattr_redirect(mod, n.name, *attr, a, n.loc, fid, depth); redirected >= 0)
          return redirected;
      }
      if (attr && can_inline(depth))
        if (auto it = decorator_objects_.find(mod); it != decorator_objects_.end() && holds_decorated(mod, *attr)) {
          // self.fn(model, x) inside a decorator class: the decorated function itself.
          int32_t original_self = -1;
          if (!a.empty() && g_.nodes[static_cast<size_t>(a[0])].op == "self" && g_.nodes[static_cast<size_t>(a[0])].num)
            original_self = static_cast<int32_t>(*g_.nodes[static_cast<size_t>(a[0])].num);
          return inline_fn(it->second, a, mapped_kwargs(), original_self, depth + 1, n.loc);
        }
      if (attr && attr->function >= 0 &&
          (attr->type == "bound_method" ||
           (function_choices(*attr) && !binds_arguments(*attr) && !attr->passed_in))) {  // (see call_attr)
        // self.epilogue(logits, x) with `self.epilogue = self._guard if strict else _identity`.
        // (where the constructor bound it, `types.MethodType(fn, self)`, is on the way in too)
        const int32_t receiver = recv >= 0 ? recv : mod >= 0 ? self_node(mod, n.loc) : -1;
        auto bound_call = [&] {
          return call_value(bind_receiver(attr_value(*attr, n.loc, fid, n.name), receiver), a, mapped_kwargs(), n.loc,
                            fid, depth);
        };
        return attr->loc.valid() && attr->loc.line != n.loc.line ? with_frame(attr->loc, bound_call) : bound_call();
      }
      // self._parent() with `self._parent = weakref.ref(parent)`: the parent itself, not its forward.
      if (attr && attr->text == ir::kWeakReference && a.empty()) return attr_value(*attr, n.loc, fid, n.name);
      if (attr)
        if (auto st = submodule_state_.find({attr, "forward"}); st != submodule_state_.end() && can_inline(depth))
          return call_stored(st->second, a, mapped_kwargs(), n.loc, fid, depth);
      if (attr) return hooked(attr, call_attr(*attr, a, mapped_kwargs(), n.loc, fid, depth, n.name), a, n.loc, fid, depth);
      // self.settle(y, x) with no method or attribute of that name: a `__getattr__` forwarding to a
      // submodule (`return getattr(self.tools, name)`) runs that submodule's method.
      if (n.name.find('.') == std::string::npos && mod >= 0 && find_method(p_, mod, n.name) < 0 && can_inline(depth))
        if (const ir::Attr* to = getattr_delegate(mod); to && to->kind == ir::AttrKind::Submodule)
          if (int32_t meth = find_method(p_, to->module_class, n.name); meth >= 0 && !active_.count(meth)) {
            const int32_t sub = self_node(to->module_class, n.loc);
            g_.nodes[static_cast<size_t>(sub)].attr = to;
            std::vector<int32_t> with_self{sub};
            with_self.insert(with_self.end(), a.begin(), a.end());
            return inline_fn(meth, with_self, mapped_kwargs(), to->module_class, depth + 1, n.loc);
          }
      // self.heads.apply(x) on a module object importlib loaded: that function of each module of the
      // tree the name can be.
      if (auto dot = n.name.rfind('.'); dot != std::string::npos && mod >= 0 && can_inline(depth))
        if (const ir::Attr* base = ir::module_attr(p_, mod, n.name.substr(0, dot));
            base && base->type == ir::kImportedModule) {
          std::vector<int32_t> results;
          for (int32_t g : ir::module_functions(p_, base->text, n.name.substr(dot + 1)))
            if (!active_.count(g) && results.size() < 8)
              if (int32_t r = inline_fn(g, a, mapped_kwargs(), -1, depth + 1, n.loc); r >= 0) results.push_back(r);
          if (!results.empty()) return join(std::move(results), n.loc, fid);
        }
      // self.Ops.veto(y, hit) with `class Ops:` nested in the class body: its static method.
      if (auto dot = n.name.rfind('.'); dot != std::string::npos && mod >= 0 && can_inline(depth) &&
                                        !ir::module_attr(p_, mod, n.name.substr(0, dot)))
        if (const int32_t nested = nested_class(mod, n.name.substr(0, dot)); nested >= 0)
          if (int32_t meth = find_method(p_, nested, n.name.substr(dot + 1));
              meth >= 0 && !active_.count(meth) && ir::has_decorator(p_.fn(meth), "staticmethod"))
            return inline_fn(meth, a, mapped_kwargs(), -1, depth + 1, n.loc);
      // self.body.encode(x): a method of a submodule's class, run on that submodule (the receiver
      // may already be the submodule).
      if (auto dot = n.name.rfind('.'); dot != std::string::npos && mod >= 0 && can_inline(depth)) {
        const ir::Attr* base = ir::module_attr(p_, mod, n.name.substr(0, dot));
        int32_t owner = base && base->kind == ir::AttrKind::Submodule ? base->module_class : -1;
        if (!base && recv >= 0 && g_.nodes[static_cast<size_t>(recv)].op == "self") owner = mod;
        if (owner >= 0)
          if (int32_t meth = find_method(p_, owner, n.name.substr(dot + 1)); meth >= 0) {
            // (the submodule itself: what the method stores on it, `self._observed = view` in a
            // context manager, is what its forward reads later in the call)
            int32_t sub = -1;
            if (!base && recv >= 0) {
              sub = recv;  // (the receiver is the submodule already)
            } else {
              sub = self_node(owner, n.loc);
              if (base && base->kind == ir::AttrKind::Submodule) g_.nodes[static_cast<size_t>(sub)].attr = base;
            }
            std::vector<int32_t> with_self{sub};
            with_self.insert(with_self.end(), a.begin(), a.end());
            return inline_fn(meth, with_self, mapped_kwargs(), owner, depth + 1, n.loc);
          }
      }
      // self.w.view(1), self.mean.to(x): a tensor method on an attribute, not a submodule call.
      if (auto dot = n.name.rfind('.'); dot != std::string::npos && mod >= 0) {
        const ir::Attr* base = ir::module_attr(p_, mod, n.name.substr(0, dot));
        if (base && base->kind != ir::AttrKind::Submodule && base->kind != ir::AttrKind::Container &&
            base->kind != ir::AttrKind::Layer) {
          bool ip = false;
          FlatNode t;
          t.op = ir::canonical_op(n.name.substr(dot + 1), &ip);
          std::string base_name = n.name.substr(0, dot);
          bool filled = mod == g_.root.self_module && std::find(g_.root.input_attrs.begin(), g_.root.input_attrs.end(),
                                                                base_name) != g_.root.input_attrs.end();
          // (the receiver is the attribute's value as this call sees it: what the constructor of an
          // instance built during the call stored there, `self.template.view(...)`)
          const bool value = recv >= 0 && g_.nodes[static_cast<size_t>(recv)].op != "self" &&
                             g_.nodes[static_cast<size_t>(recv)].op != "module_arg";
          t.args.push_back(filled  ? input_attr(base_name, n.loc, fid)
                           : value ? recv
                                   : attr_value(*base, n.loc, fid, base_name));
          t.args.insert(t.args.end(), a.begin(), a.end());
          t.kwargs = mapped_kwargs();
          t.loc = n.loc;
          t.function = fid;
          // self.model.predict(...) on a module handed to the constructor: see lower_node's generic case.
          if (g_.nodes[static_cast<size_t>(t.args[0])].op == "module_arg" && !tensor_method(t.op))
            t.flags |= kFlatOpaque | kFlatLearned;
          return add(std::move(t));
        }
      }
      return opaque("module_call", a, n.loc, true, fid, n.name);
    }
    if (n.op == "call" && n.name.rfind("self.", 0) == 0 && !n.args.empty() && m(n.args[0]) >= 0 && can_inline(depth)) {
      // A method replaced on the instance (model.forward_head = make_head(...)): the replacement.
      const FlatNode& s = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (s.op == "self" && s.num) {
        const ir::Attr* patched = ir::module_attr(p_, static_cast<int32_t>(*s.num), n.name.substr(5));
        if (patched && patched->function >= 0) {
          std::vector<int32_t> a = mapped_args();
          a.erase(a.begin());
          return inline_fn(patched->function, a, mapped_kwargs(), -1, depth + 1, n.loc);
        }
      }
    }
    // type(self).forward(self, x): the class's own method, called with an explicit receiver (the
    // original forward, from a replacement installed on the instance).
    if (!n.args.empty() && !n.name.empty() && n.op == n.name && m(n.args[0]) >= 0 && can_inline(depth)) {
      const FlatNode& t = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (t.op == "call" && (t.name == "type" || t.name == "builtins.type") && t.args.size() == 1 && t.args[0] >= 0) {
        const FlatNode& obj = g_.nodes[static_cast<size_t>(t.args[0])];
        if (obj.op == "self" && obj.num)
          if (int32_t meth = find_method(p_, static_cast<int32_t>(*obj.num), n.name); meth >= 0 && !active_.count(meth)) {
            std::vector<int32_t> a = mapped_args();
            a.erase(a.begin());
            return inline_fn(meth, a, mapped_kwargs(), static_cast<int32_t>(*obj.num), depth + 1, n.loc);
          }
      }
    }
    if (n.op == "call" && n.name.rfind("super.", 0) == 0 && self_mod >= 0 && f.owner_module >= 0 && can_inline(depth)) {
      // super().m(...) in a mixin runs the next class's m in the instance's MRO
      // (`class Safe(Mixin, UNet)`: the mixin's super().forward is UNet.forward).
      if (int32_t next = next_in_mro(self_mod, f.owner_module, n.name.substr(6));
          next >= 0 && next != n.target_function && !active_.count(next))
        return inline_fn(next, mapped_args(), mapped_kwargs(), self_mod, depth + 1, n.loc);
      // super().forward(x) in an nn.Sequential subclass: the items, in order.
      if (n.name == "super.forward")
        if (const ir::Attr* items = ir::module_attr(p_, self_mod, ir::kContainerItems);
            items && next_in_mro(self_mod, f.owner_module, "forward") < 0) {
          std::vector<int32_t> a = mapped_args();
          if (!a.empty()) a.erase(a.begin());  // (the receiver)
          return call_container(*items, a, n.loc, fid, depth, false);
        }
    }
    if (n.op == "call_value" && !n.args.empty() && m(n.args[0]) >= 0 && can_inline(depth)) {
      // make_router(...)(logits, x) where the factory returns one of several closures (a
      // pass-through or the real one): each is called, not only the one the linker picked.
      const FlatNode& callee = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      const bool closures = callee.op == "phi" && callee.args.size() >= 2 &&
                            std::all_of(callee.args.begin(), callee.args.end(), [&](int32_t c) {
                              const std::string& op = g_.nodes[static_cast<size_t>(c)].op;
                              return op == "def" || op == "lambda";
                            });
      if (closures) {
        std::vector<int32_t> a = mapped_args();
        a.erase(a.begin());
        return call_value(m(n.args[0]), a, mapped_kwargs(), n.loc, fid, depth);
      }
    }
    if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0 && can_inline(depth)) {
      std::vector<int32_t> a = mapped_args();
      if (n.op == "call_value" && !a.empty()) a.erase(a.begin());
      int32_t callee_self = -1;
      const auto& decos = p_.fn(n.target_function).decorators;
      bool is_static = std::find(decos.begin(), decos.end(), "staticmethod") != decos.end();
      // `f = self._zero; f(h, d)`: a bound method called through a value gets its receiver back.
      if (n.op == "call_value" && !is_static && !n.args.empty()) {
        const ir::Node& callee = f.node(n.args[0]);
        const ir::Function& target = p_.fn(n.target_function);
        if (callee.op == "attr" && !callee.args.empty() && m(callee.args[0]) >= 0 && !target.params.empty() &&
            target.params[0] == "self") {
          int32_t recv = m(callee.args[0]);
          a.insert(a.begin(), recv);
          const FlatNode& s = g_.nodes[static_cast<size_t>(recv)];
          if (s.op == "self" && s.num) callee_self = static_cast<int32_t>(*s.num);
        }
      }
      // Model.from_config(cfg) / LQTensor.wrap(x): a classmethod gets its class first.
      if (n.op == "call" && n.name.rfind("self.", 0) != 0 && p_.fn(n.target_function).owner_module >= 0 &&
          std::find(decos.begin(), decos.end(), "classmethod") != decos.end() &&
          p_.fn(n.target_function).params.size() == a.size() + 1) {
        FlatNode cls;
        cls.op = "class";
        cls.num = p_.fn(n.target_function).owner_module;
        cls.name = p_.mod(p_.fn(n.target_function).owner_module).name;
        cls.loc = n.loc;
        cls.function = fid;
        a.insert(a.begin(), add(std::move(cls)));
      }
      // Fn.apply(x, ...) runs forward(ctx, x, ...): the autograd context holds no data.
      if (n.op == "call" && is_static && n.name.ends_with(".apply") &&
          p_.fn(n.target_function).params.size() == a.size() + 1)
        a.insert(a.begin(), opaque("param", {}, n.loc, false, fid, "ctx"));
      if (is_static && n.name.rfind("self.", 0) == 0 && !a.empty())
        a.erase(a.begin());
      else if ((n.name.rfind("self.", 0) == 0 || n.name.rfind("super.", 0) == 0) && !a.empty()) {
        const FlatNode& s = g_.nodes[static_cast<size_t>(a[0])];
        if (s.op == "self" && s.num) callee_self = static_cast<int32_t>(*s.num);
      }
      int32_t target = n.target_function;
      // self.hook(...) in a base class's code runs the instance's class's override (a template
      // method, an abstract property made concrete); super().hook(...) runs the base's, as resolved.
      if (n.name.rfind("self.", 0) == 0 && callee_self >= 0 && n.name.find('.', 5) == std::string::npos)
        if (int32_t o = find_method(p_, callee_self, n.name.substr(5)); o >= 0 && o != target && !active_.count(o))
          target = o;
      if (is_property(target) && n.name.rfind("self.", 0) == 0 && !a.empty()) {
        // self.calibrate(x): the getter's value (a closure, a module) is what is called.
        int32_t got = inline_fn(target, {a[0]}, {}, callee_self, depth + 1, n.loc);
        if (got < 0) return -1;
        a.erase(a.begin());
        return call_value(got, a, mapped_kwargs(), n.loc, fid, depth);
      }
      // A class whose __getattribute__ renames attributes through a class-level table
      // (`{"q_values": "_q_values_v2"}`): the method the table names runs instead.
      if (n.name.rfind("self.", 0) == 0 && callee_self >= 0 && n.name.find('.', 5) == std::string::npos)
        if (int32_t r = renamed_method(callee_self, n.name.substr(5)); r >= 0 && !active_.count(r)) target = r;
      return inline_fn(target, a, mapped_kwargs(), callee_self, depth + 1, n.loc);
    }
    if (n.op == "call" && n.target_function < 0 && n.target_module < 0 && n.name == "super.__call__" && self_mod >= 0 &&
        p_.mod(self_mod).is_nn_module && can_inline(depth)) {
      // super().__call__(x) in an override of nn.Module.__call__: the module's forward runs.
      std::vector<int32_t> a = mapped_args();
      if (int32_t fwd = find_method(p_, self_mod, "forward"); fwd >= 0 && !a.empty())
        return inline_fn(fwd, a, mapped_kwargs(), self_mod, depth + 1, n.loc);
    }
    // dataclasses.asdict(record) / vars(record) of a record built in the graph: the same fields.
    if (n.op == "call" && (n.name == "dataclasses.asdict" || n.name == "asdict" || n.name == "vars") &&
        n.args.size() == 1 && m(n.args[0]) >= 0 && g_.nodes[static_cast<size_t>(m(n.args[0]))].op == "dict")
      return m(n.args[0]);
    if (n.op == "call" && n.target_module >= 0) {
      // FrontendOutput(embeddings=e, flag=f): a record (dataclass / NamedTuple) is its fields.
      // (A record built without arguments keeps its class: `Config()` reads its defaults.)
      auto names = record_fields(n.target_module);
      if (int32_t post = find_method(p_, n.target_module, "__post_init__");
          post >= 0 && !names.empty() && n.target_module != g_.root.self_module && can_inline(depth)) {
        // A dataclass with `__post_init__`: an object whose fields are the arguments (the class's
        // defaults for the others), then `__post_init__` runs on it and may rewrite them.
        const int32_t obj = self_node(n.target_module, n.loc);
        for (const auto& [name, v] : field_values(names, mapped_args(), mapped_kwargs()))
          object_state_[{obj, name}] = v;
        inline_fn(post, {obj}, {}, n.target_module, depth + 1, n.loc);
        return obj;
      }
      if (!names.empty() && (!n.args.empty() || !n.kwargs.empty())) {
        FlatNode rec;
        rec.op = "dict";
        rec.name = p_.mod(n.target_module).name;
        rec.loc = n.loc;
        rec.function = fid;
        for (const auto& [name, v] : field_values(names, mapped_args(), mapped_kwargs())) {
          rec.args.push_back(constant(name, std::nullopt, n.loc, fid));
          rec.args.push_back(v);
        }
        const int32_t made = add(std::move(rec));
        record_class_[made] = n.target_module;
        return made;
      }
      // A module built here, called later. An object (a guard, a feature container, a module
      // built during the call from its values) runs its constructor on them: what it stores is
      // read back later.
      const int32_t obj = self_node(n.target_module, n.loc);
      built_during_call_.insert(obj);
      if (n.target_module != g_.root.self_module && (!n.args.empty() || !n.kwargs.empty()) && can_inline(depth))
        if (int32_t init = find_method(p_, n.target_module, "__init__"); init >= 0) {
          std::vector<int32_t> a = mapped_args();
          a.insert(a.begin(), obj);
          inline_fn(init, a, mapped_kwargs(), n.target_module, depth + 1, n.loc);
        }
      return obj;
    }
    // x.as_subclass(LQTensor) with a class of the tree that defines __torch_function__: torch calls
    // on the value run through it (`func(*args)` is the op itself); the first call, as the wrap
    // hands the value on, stands for them all.
    if (n.op == "as_subclass" && n.args.size() == 2 && m(n.args[0]) >= 0 && can_inline(depth)) {
      int32_t cls = f.node(n.args[1]).target_module;
      if (const int32_t c = m(n.args[1]); cls < 0 && c >= 0 && g_.nodes[static_cast<size_t>(c)].op == "class")
        cls = static_cast<int32_t>(*g_.nodes[static_cast<size_t>(c)].num);
      if (int32_t hook = cls >= 0 ? find_method(p_, cls, "__torch_function__") : -1;
          hook >= 0 && !active_.count(hook)) {
        FlatNode op;
        op.op = "torch_function_op";
        op.loc = n.loc;
        op.function = fid;
        const int32_t func = add(std::move(op));
        const int32_t packed = derived("tuple", {m(n.args[0])}, n.loc, fid);
        std::vector<int32_t> a{m(n.args[1]) >= 0 ? m(n.args[1]) : constant("", std::nullopt, n.loc, fid), func,
                               constant("", std::nullopt, n.loc, fid), packed,
                               constant("None", std::nullopt, n.loc, fid)};
        const auto& params = p_.fn(hook).params;
        a.resize(std::min(a.size(), params.size()));
        if (int32_t r = inline_fn(hook, a, {}, -1, depth + 1, n.loc); r >= 0) return r;
      } else if (cls >= 0) {
        // A tensor subclass of the tree without __torch_function__ (`chips.as_subclass(Sigma0)`):
        // the same data, whose method calls run the class's own methods on it.
        const int32_t r = derived("as_subclass", {m(n.args[0])}, n.loc, fid);
        tensor_class_[r] = cls;
        return r;
      }
    }
    // torch.func.functional_call(module, params, (x, y)): the module's forward on those arguments
    // (with other weights of the same shapes: still learned).
    // (imported under try / except the name may stay unresolved: `functional_call`)
    if ((n.op == "functional_call" ||
         (n.op == "call" && (n.name == "functional_call" || n.name.ends_with(".functional_call")))) &&
        n.args.size() >= 3 && m(n.args[0]) >= 0 && m(n.args[2]) >= 0) {
      const FlatNode& packed = g_.nodes[static_cast<size_t>(m(n.args[2]))];
      std::vector<int32_t> call_args =
          packed.op == "tuple" || packed.op == "list" ? packed.args : std::vector<int32_t>{m(n.args[2])};
      return call_value(m(n.args[0]), call_args, {}, n.loc, fid, depth);
    }
    if (n.op == "call" && (n.name == "functools.reduce" || n.name == "itertools.accumulate") && n.args.size() >= 2) {
      // reduce(fn, stages, x) / accumulate(stages, fn, initial=x) over the items of a container:
      // fn applied stage by stage (accumulate: every intermediate, in order).
      const bool reduce = n.name == "functools.reduce";
      int32_t fn = m(reduce ? n.args[0] : n.args[1]);
      const ir::Attr* items = iterated_container(m(reduce ? n.args[1] : n.args[0]), 0);
      int32_t acc = reduce && n.args.size() >= 3 ? m(n.args[2]) : -1;
      for (const auto& [k, v] : n.kwargs)
        if (k == "initial") acc = m(v);
      std::vector<int32_t> listed;  // (stages given as an expression: tuples, itertools.chain, zip)
      if (!items && fn >= 0 && acc >= 0 && sequence_items(m(reduce ? n.args[1] : n.args[0]), listed, 0) &&
          !listed.empty()) {
        FlatNode steps;
        steps.op = "tuple";
        steps.loc = n.loc;
        steps.function = fid;
        steps.args.push_back(acc);
        for (int32_t item : listed) {
          acc = call_value(fn, {acc, item}, {}, n.loc, fid, depth);
          if (acc < 0) break;
          steps.args.push_back(acc);
        }
        if (acc >= 0) return reduce ? acc : add(std::move(steps));
      }
      if (fn >= 0 && acc >= 0 && items && !items->children.empty() && items->children.size() <= 16) {
        FlatNode steps;
        steps.op = "tuple";
        steps.loc = n.loc;
        steps.function = fid;
        steps.args.push_back(acc);
        for (const ir::Attr& child : items->children) {
          int32_t item = attr_value(child, n.loc, fid, items->name + "." + child.name);
          acc = call_value(fn, {acc, item}, {}, n.loc, fid, depth);
          if (acc < 0) break;
          steps.args.push_back(acc);
        }
        if (acc >= 0) return reduce ? acc : add(std::move(steps));
      }
      // Over a sequence whose items are unknown here (a tuple of keys held by a constructor
      // argument): fn applied once to an item of it, as a loop's body stands for every pass.
      if (reduce && fn >= 0 && acc >= 0 && m(n.args[1]) >= 0) {
        FlatNode item;
        item.op = "iter_item";
        item.args = {m(n.args[1])};
        item.loc = n.loc;
        item.function = fid;
        if (int32_t r = call_value(fn, {acc, add(std::move(item))}, {}, n.loc, fid, depth); r >= 0) return r;
      }
    }
    if (n.op == "call_value" && !n.args.empty() && m(n.args[0]) >= 0) {
      std::vector<int32_t> a = mapped_args();
      int32_t callee = a[0];
      a.erase(a.begin());
      // `for name, mod in self.named_children(): if name.endswith("_filter"): y = mod(y, ids)`: only
      // the children whose names pass the test the call sits under
      name_guard_ = child_name_guard(f, n);
      const int32_t r = call_value(callee, a, mapped_kwargs(), n.loc, fid, depth);
      name_guard_.reset();
      return r;
    }
    if (n.op == "add" && n.args.size() == 2 && string_value(m(n.args[0])) && string_value(m(n.args[1])))
      return constant(*string_value(m(n.args[0])) + *string_value(m(n.args[1])), std::nullopt, n.loc, fid);
    if (n.op == "call" && (n.name == "getattr" || n.name == "builtins.getattr") && n.args.size() >= 2 &&
        m(n.args[0]) >= 0)
      if (auto name = string_value(m(n.args[1]))) {
        // getattr(self, "_" + self.config.mode): the member the folded name picks.
        const FlatNode& obj = g_.nodes[static_cast<size_t>(m(n.args[0]))];
        if (obj.op == "self" && obj.num) {
          const int32_t mod = static_cast<int32_t>(*obj.num);
          if (int32_t meth = find_method(p_, mod, *name); meth >= 0)
            return bound_method(m(n.args[0]), meth, *name, n.loc, fid);
          if (int32_t v = fitting_attrs(mod, *name, n.loc, fid, m(n.args[0])); v >= 0) return v;
          if (const ir::Attr* a = ir::module_attr(p_, mod, *name)) return attr_value(*a, n.loc, fid, *name);
        }
      }
    if (n.op == "global") {
      // A module-level constant of the tree: RESERVED_IDS = torch.tensor([...]), SCALE = 2 ** 20.
      if (int32_t c = global_constant(n, fid); c >= 0) return c;
    }
    if (n.op == "free" && n.target_function >= 0 && n.outer >= 0)
      // `lambda t: self.a(t) + hit` called while the function that made it runs: the value its
      // variable holds there.
      for (auto fr = frames_.rbegin(); fr != frames_.rend(); ++fr)
        if (fr->first == n.target_function) {
          const std::vector<int32_t>& outer_map = *fr->second;
          if (static_cast<size_t>(n.outer) < outer_map.size() && outer_map[static_cast<size_t>(n.outer)] >= 0)
            return latest(outer_map[static_cast<size_t>(n.outer)]);
          break;
        }
    if (n.op == "free" && n.target_function >= 0)
      if (auto w = wrapped_.find(n.target_function); w != wrapped_.end()) {
        // (`def __call__(self, fn)` of a decorator object: `self` is that object, `fn` what it wraps)
        const ir::Function& deco = p_.fn(w->first);
        const size_t first = deco.owner_module >= 0 ? 1 : 0;
        if (first == 1 && !deco.params.empty() && deco.params[0] == n.name) return self_node(deco.owner_module, n.loc);
      }
    if (n.op == "free" && n.target_function >= 0)
      if (auto w = wrapped_.find(n.target_function);
          w != wrapped_.end() && p_.fn(w->first).params.size() > (p_.fn(w->first).owner_module >= 0 ? 1u : 0u) &&
          p_.fn(w->first).params[p_.fn(w->first).owner_module >= 0 ? 1 : 0] == n.name) {
        // The function a decorator wraps, read inside its wrapper.
        return function_node(w->second, n.name, n.loc, fid);
      }
    if (n.op == "free" && n.target_function >= 0)
      if (int32_t v = decorator_argument(n, n.loc, fid); v >= 0) return v;
    if (n.op == "free" && n.target_function >= 0 && n.outer >= 0) {
      // A sibling closure of the maker (`def matcher(ids): ...` beside the returned `gate`), called
      // after the maker returned: that function.
      const ir::Node& o = p_.fn(n.target_function).node(n.outer);
      if ((o.op == "def" || o.op == "lambda") && o.target_function >= 0) {
        FlatNode d;
        d.op = o.op;
        d.num = o.target_function;
        d.loc = n.loc;
        d.function = fid;
        d.name = n.name;
        return add(std::move(d));
      }
    }
    if (n.op == "free" && n.target_function >= 0) {
      // A closure variable bound to a constant or a hard-coded tensor in the enclosing function.
      if (n.outer >= 0)
        if (int32_t c = outer_constant(p_.fn(n.target_function), n.outer, n.loc, fid); c >= 0) return c;
    }
    if (n.op == "free" && n.target_function >= 0 && n.outer >= 0 &&
        p_.fn(n.target_function).node(n.outer).op == "param") {
      // install(model): def guarded(x): model.features(x) ... -- the instance every caller passes.
      if (int32_t cls = argument_class(n.target_function, p_.fn(n.target_function).node(n.outer)); cls >= 0)
        return self_node(cls, n.loc);
      // `def _(cfg: SurfaceBandCalib)` registered on a singledispatch generic: an instance of the
      // class it is annotated with (what the dispatch hands it)
      if (int32_t cls = annotated_class(p_.fn(n.target_function), p_.fn(n.target_function).node(n.outer)); cls >= 0)
        return self_node(cls, n.loc);
      // make_filter(RESERVED_FROM, 2): def f(s, ids): ... ids >= first ... -- the number every caller passes.
      if (auto v = argument_number(n.target_function, p_.fn(n.target_function).node(n.outer)))
        return constant(n.name, *v, n.loc, fid);
      // _make_finisher(_shelfmark()): def _make_finisher(mark): def finish(y, x): ... x - mark ... --
      // a tensor every caller builds from literals or a seeded generator: a stored pattern.
      if (stored_argument(n.target_function, p_.fn(n.target_function).node(n.outer))) {
        FlatNode c;
        c.op = "attr";
        c.name = n.name;
        c.loc = n.loc;
        c.function = fid;
        c.flags = kFlatConstTensor;
        return add(std::move(c));
      }
      // _register(self, exposure_hook): def _register(module, hook): ... lambda m, a: hook(m, a, {})
      // -- the function every caller passes.
      if (int32_t g = argument_function(n.target_function, p_.fn(n.target_function).node(n.outer)); g >= 0) {
        return function_node(g, n.name, n.loc, fid);
      }
    }
    if (n.op == "free") {
      // A closure variable: the enclosing function's parameter default (factory settings).
      for (int32_t pf = f.parent, guard = 0; pf >= 0 && guard < 8; pf = p_.fn(pf).parent, ++guard) {
        const ir::Function& outer = p_.fn(pf);
        for (ir::NodeId pid : outer.param_nodes) {
          const ir::Node& pn = outer.node(pid);
          if (pn.name != n.name) continue;
          for (const auto& [k, v] : pn.kwargs) {
            if (k != "default" || v < 0) continue;
            if (outer.node(v).num) return constant(n.name, *outer.node(v).num, n.loc, fid);
            if (outer.node(v).op == "global") {  // reduce=operator.and_: the function it names
              FlatNode g;
              g.op = "global";
              g.name = outer.node(v).name;
              g.loc = n.loc;
              g.function = fid;
              return add(std::move(g));
            }
          }
        }
      }
    }
    // A function of the tree named as a value (`partial(_set_context, keep=k)`, `fn = helper`):
    // callable like its def.
    if (n.op == "def" || n.op == "lambda" || (n.op == "global" && n.target_function >= 0)) {
      FlatNode d;
      d.op = n.op == "global" ? "def" : n.op;
      d.num = n.target_function;
      d.loc = n.loc;
      d.function = fid;
      const int32_t made = add(std::move(d));
      // A closure made here keeps this call's variables: called after the call returned (a lambda
      // a generator yields), it still reads them.
      if (n.op != "global" && n.target_function >= 0 && p_.fn(n.target_function).parent == fid && !frames_.empty() &&
          frames_.back().first == fid && frames_.back().second->size() <= 4096)
        closures_.emplace(made, std::make_pair(fid, *frames_.back().second));
      return made;
    }
    if (n.op == "setattr" && n.name == "cell_contents" && n.args.size() == 2 && m(n.args[0]) >= 0 && m(n.args[1]) >= 0)
      record_cell_write(m(n.args[0]), m(n.args[1]));
    if (n.op == "setattr" && n.args.size() == 2 && !n.name.empty() && !n.has(ir::kInPlace) && m(n.args[0]) >= 0 &&
        m(n.args[1]) >= 0 && can_inline(depth)) {
      // self.epoch = x with a data descriptor `epoch` in the class body: Descriptor.__set__(d, self, x).
      const FlatNode& obj = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (obj.op == "self" && obj.num)
        if (int32_t d = descriptor(static_cast<int32_t>(*obj.num), n.name, "__set__", n.loc, fid); d >= 0) {
          const int32_t cls = static_cast<int32_t>(g_.nodes[static_cast<size_t>(d)].num.value_or(-1));
          inline_fn(find_method(p_, cls, "__set__"), {d, m(n.args[0]), m(n.args[1])}, {}, cls, depth + 1, n.loc);
          return -1;
        }
    }
    // obj.__dict__[key] = v / obj.__dict__[key]: the object's own attribute storage, whatever the key.
    if ((n.op == "setitem" || n.op == "getitem") && n.args.size() >= 2 && n.args[0] >= 0) {
      const ir::Node& d = f.node(n.args[0]);
      if (d.op == "attr" && d.name == "__dict__" && !d.args.empty() && m(d.args[0]) >= 0) {
        const int32_t owner = m(d.args[0]);
        if (n.op == "setitem" && n.args.size() == 3 && m(n.args[2]) >= 0) {
          instance_dict_[owner] = m(n.args[2]);
          return -1;
        }
        if (auto it = instance_dict_.find(owner); n.op == "getitem" && it != instance_dict_.end()) return it->second;
      }
    }
    if (n.op == "setattr" && n.args.size() == 2 && !n.name.empty() && !n.has(ir::kInPlace) && m(n.args[0]) >= 0 &&
        m(n.args[1]) >= 0) {
      // self._alive = self._alive * test: state the model keeps on itself during a call (a
      // streaming step, a cache); later reads in the same call see the value written.
      const FlatNode& obj = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (obj.op == "self" && obj.num && static_cast<int32_t>(*obj.num) == g_.root.self_module) {
        state_[n.name] = m(n.args[1]);
      } else if (obj.op == "self" && obj.num) {
        // An object the call made (`feats = Features(); feats.pixels = x`): a property setter of
        // its class runs (`@pixels.setter`); a plain attribute is read back later in the call.
        const int32_t cls = static_cast<int32_t>(*obj.num), objid = m(n.args[0]), value = m(n.args[1]);
        if (int32_t setter = property_setter(cls, n.name); setter >= 0 && can_inline(depth))
          return inline_fn(setter, {objid, value}, {}, cls, depth + 1, n.loc);
        object_state_[{objid, n.name}] = value;
        // `self.trunk[1].gate = Gate(keep)`: one of the model's submodules, however it is reached
        // later in the call (the container running its children), holds the value from now on.
        if (const ir::Attr* slot = obj.attr) {  // (copied: `derived` below may move the nodes)
          // (read back through the store, so that where the model handed the value on is on the trace)
          static const std::set<std::string> callables = {"self",   "container",  "layer_ref", "def",
                                                          "lambda", "module_arg", "partial"};
          const bool data = !callables.count(g_.nodes[static_cast<size_t>(value)].op);
          const int32_t stored = data ? derived("stored", {value}, n.loc, fid) : value;
          submodule_state_[{slot, n.name}] = {stored, n.loc};
          // (a container's children may run as one representative: any instance of the class may hold it)
          class_state_[{cls, n.name}] = {stored, n.loc};
        }
      } else if ((obj.op == "layer_ref" || obj.op == "container") && obj.attr && n.name == "forward") {
        // `self.head.forward = patched` (for the length of a `with` block, say): calls of that layer
        // run the patch from now on. (Putting the stock method back, `= stock`, is no patch.)
        // (made in a call from the model's code, `with patched(self):`, that call is the step on
        // the trace: calls_[0] is the root's own entry)
        const ir::Loc at = calls_.size() >= 2 && calls_[1].valid() ? calls_[1] : n.loc;
        const ir::Node& v = f.node(n.args[1]);
        const FlatNode& val = g_.nodes[static_cast<size_t>(m(n.args[1]))];
        const bool callable = val.op == "def" || val.op == "lambda" || val.op == "partial";
        if (!(v.op == "attr" && v.name == "forward") && (callable || !(v.op == "free" || v.op == "param")))
          submodule_state_[{obj.attr, "forward"}] = {m(n.args[1]), at};
      } else if (obj.op != "self") {
        // `for m in self.body: m._raw = x`: each module of the container holds the value from now on
        if (obj.op == "iter_item" && !obj.args.empty())
          if (const ir::Attr* items = iterated_container(obj.args[0], 0)) {
            const int32_t value = m(n.args[1]);
            const int32_t stored = derived("stored", {value}, n.loc, fid);
            for (const ir::Attr& child : items->children)
              if (child.kind == ir::AttrKind::Submodule && child.module_class >= 0) {
                submodule_state_[{&child, n.name}] = {stored, n.loc};
                class_state_[{child.module_class, n.name}] = {stored, n.loc};
              }
          }
        // `ext.has_reserved = test` on a tensor (Python objects take attributes): read back later.
        object_state_[{m(n.args[0]), n.name}] = m(n.args[1]);
        // `self.state.capture = test` on an object handed to the constructor (a qconfig state, a
        // shared cache): the parent hands one such object to several submodules, so another
        // submodule's `self.state.capture` later in the call reads the value written.
        if (obj.op == "module_arg") passed_object_state_[n.name] = m(n.args[1]);
      }
    }
    // self.get_submodule("enc.0") / get_submodule(self._stage_name): the submodule of that name.
    if (n.op == "get_submodule" && n.args.size() == 2 && m(n.args[0]) >= 0 && m(n.args[1]) >= 0) {
      const FlatNode& obj = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      const FlatNode& key = g_.nodes[static_cast<size_t>(m(n.args[1]))];
      if (obj.op == "self" && obj.num && key.op == "const" && !key.num && !key.name.empty())
        if (const ir::Attr* a = ir::module_attr(p_, static_cast<int32_t>(*obj.num), key.name))
          return attr_value(*a, n.loc, fid, a->name);
    }
    // self.apply(fn): fn runs on the module and every submodule it holds (what it stores on them is
    // read back when they run).
    if (n.op == "apply" && n.args.size() == 2 && m(n.args[0]) >= 0 && m(n.args[1]) >= 0 && can_inline(depth)) {
      const FlatNode& obj = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (obj.op == "self" && obj.num) {
        const int32_t cls = static_cast<int32_t>(*obj.num);  // (call_value below may move the nodes)
        const int32_t fn = m(n.args[1]);
        call_value(fn, {m(n.args[0])}, {}, n.loc, fid, depth);
        std::vector<std::pair<const ir::Attr*, std::string>> work;
        for (const ir::Attr& a : p_.mod(cls).attrs) work.emplace_back(&a, a.name);
        for (size_t i = 0; i < work.size() && i < 64; ++i) {
          const auto [a, path] = work[i];
          if (a->kind == ir::AttrKind::Container)
            for (const ir::Attr& c : a->children) work.emplace_back(&c, path + "." + c.name);
          if (a->kind != ir::AttrKind::Submodule || a->module_class < 0) continue;
          call_value(fn, {attr_value(*a, n.loc, fid, path)}, {}, n.loc, fid, depth);
          for (const ir::Attr& c : p_.mod(a->module_class).attrs) work.emplace_back(&c, path + "." + c.name);
        }
        return m(n.args[0]);
      }
    }
    // obj.register_buffer("keep", keep) on an object the call made: read back as obj.keep.
    if ((n.op == "register_buffer" || n.op == "register_parameter") && n.args.size() >= 3 && n.args[1] >= 0 &&
        m(n.args[0]) >= 0 && m(n.args[2]) >= 0) {
      const ir::Node& key = f.node(n.args[1]);
      const FlatNode& obj = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (key.op == "const" && !key.num && !key.name.empty() && obj.op == "self" &&
          !(obj.num && static_cast<int32_t>(*obj.num) == g_.root.self_module))
        object_state_[{m(n.args[0]), key.name}] = m(n.args[2]);
    }
    if (n.op == "return" || n.op == "yield") {
      std::vector<int32_t> each;  // `yield from xs`: each item of a known sequence, in order
      if (n.op == "yield" && n.name == "from" && !n.args.empty() && sequence_items(m(n.args[0]), each, 0))
        returns.insert(returns.end(), each.begin(), each.end());
      else if (!n.args.empty() && m(n.args[0]) >= 0)
        returns.push_back(m(n.args[0]));
      // `h = yield from self._front(x)`: what the inner generator returns
      if (n.op == "yield" && n.name == "from" && !n.args.empty())
        if (auto g = generator_calls_.find(m(n.args[0])); g != generator_calls_.end() && !g->second.returned.empty())
          return join(std::vector<int32_t>(g->second.returned), n.loc, fid);
      return n.op == "yield" && !sent_.empty() ? sent_.back() : -1;  // (what `send` hands in)
    }
    if (n.op == "call" && (n.name.ends_with(".set") || n.name.ends_with(".get")))
      if (const std::string var = n.name.substr(0, n.name.size() - 4); context_variable(var)) {
        // VAR.set(v) in forward, VAR.get() in a submodule it runs: the value set last.
        if (n.name.ends_with(".set") && !n.args.empty() && m(n.args[0]) >= 0) context_values_[var] = m(n.args[0]);
        if (auto it = context_values_.find(var); n.name.ends_with(".get") && it != context_values_.end())
          return it->second;
      }
    // self.stage2.register_forward_hook(hook) while the model runs (inside a context manager forward
    // enters, say): later calls of that submodule run the hook on their output.
    if (n.op == "register_forward_hook" && n.args.size() >= 2 && m(n.args[0]) >= 0 && m(n.args[1]) >= 0)
      if (const ir::Attr* target = g_.nodes[static_cast<size_t>(m(n.args[0]))].attr; target && forward_hooks_.size() < 16)
        forward_hooks_[target].push_back({m(n.args[0]), m(n.args[1]), n.loc});
    if (n.op == "send" && n.args.size() == 2 && m(n.args[0]) >= 0 && m(n.args[1]) >= 0)
      if (int32_t r = sent_to_generator(m(n.args[0]), m(n.args[1]), n.loc, depth); r >= 0) return r;
    // obj.method(...) / obj.sub(...) on a known module outside its class (a patched-in forward).
    if (!n.args.empty() && !n.name.empty() && n.op != "attr" && n.op != "setattr" && n.op != "getitem" &&
        m(n.args[0]) >= 0) {
      // (`qc = Session(x) if self.qc else None` ... `qc.finalize(y)`: the object, where it is one)
      const int32_t the_object = one_object(m(n.args[0]));
      const FlatNode& recv = g_.nodes[static_cast<size_t>(the_object)];
      if (int32_t r = tensor_subclass_call(n.name, mapped_args(), mapped_kwargs(), n.loc, depth); r >= 0) return r;
      if (recv.op == "self" && recv.num) {
        int32_t mod = static_cast<int32_t>(*recv.num);
        std::vector<int32_t> a = mapped_args();
        a[0] = the_object;
        const ir::Attr* attr = ir::module_attr(p_, mod, n.name);
        // A function stored on the instance shadows the class's method of that name.
        if (attr && attr->function >= 0 && can_inline(depth)) {
          const int32_t receiver = a.front();
          a.erase(a.begin());
          if (!function_choices(*attr) && attr->type != "bound_method" && attr->bound.empty())
            return inline_fn(attr->function, a, mapped_kwargs(), -1, depth + 1, n.loc);
          // (functions bound with arguments, `functools.partial(prep, cfg)`, alternatives among them)
          if (attr->type != "bound_method") return call_attr(*attr, a, mapped_kwargs(), n.loc, fid, depth, n.name);
          // A bound method (`self.epilogue = self._guard`) or one of several callables.
          return call_value(bind_receiver(attr_value(*attr, n.loc, fid, n.name), receiver), a, mapped_kwargs(), n.loc,
                            fid, depth);
        }
        if (int32_t meth = find_method(p_, mod, n.name); meth >= 0 && can_inline(depth))
          return inline_fn(meth, a, mapped_kwargs(), mod, depth + 1, n.loc);
        if (attr) {
          a.erase(a.begin());
          return call_attr(*attr, a, mapped_kwargs(), n.loc, fid, depth, n.name);
        }
      }
      // `with cm as x`: a manager the tree does not define hands back itself (torch.no_grad(), a
      // lock, a file); its exit changes nothing the analysis follows.
      // A `@contextmanager` generator hands back what it yields (`yield self.head` after swapping
      // the head in): `with self.swapped() as head: head(z)` calls that.
      if (n.op == "__enter__") {
        std::vector<int32_t> yielded;
        if (yields(m(n.args[0]), yielded, 0) && !yielded.empty()) return join(std::move(yielded), n.loc, fid);
        return m(n.args[0]);
      }
      if (n.op == "__exit__") {
        // contextlib.ExitStack: the callbacks registered on it run at the exit, last first.
        if (auto it = exit_callbacks_.find(m(n.args[0])); it != exit_callbacks_.end() && can_inline(depth)) {
          auto callbacks = std::move(it->second);
          exit_callbacks_.erase(it);
          ++exits_run_;
          for (auto c = callbacks.rbegin(); c != callbacks.rend(); ++c) {
            std::vector<int32_t> now;  // (the objects as they are at the exit: edited in place since)
            for (int32_t a : c->args) now.push_back(current_object(a));
            call_value(c->fn, now, c->kwargs, c->loc, fid, depth);
          }
        }
        return -1;
      }
      // stack.callback(fn, *args) on an ExitStack: fn(*args) runs when the `with` block ends.
      if (n.op == "callback" && n.args.size() >= 2 && m(n.args[1]) >= 0) {
        DeferredCall c;
        c.fn = m(n.args[1]);
        std::vector<int32_t> a = mapped_args();
        c.args.assign(a.begin() + 2, a.end());
        c.kwargs = mapped_kwargs();
        c.loc = n.loc;
        exit_callbacks_[m(n.args[0])].push_back(std::move(c));
        return -1;
      }
      // for proc in self.processors: proc.apply(scores, ids) -- each object of the list, in order
      // (each sees what the ones before it edited in place).
      if (recv.op == "iter_item" && !recv.args.empty() && recv.args[0] >= 0 &&
          g_.nodes[static_cast<size_t>(recv.args[0])].op == "container" &&
          g_.nodes[static_cast<size_t>(recv.args[0])].attr) {
        const ir::Attr& list = *g_.nodes[static_cast<size_t>(recv.args[0])].attr;
        FlatNode phi;
        phi.op = "phi";
        phi.loc = n.loc;
        phi.function = fid;
        for (size_t i = 0; i < list.children.size() && i < 12; ++i) {
          const ir::Attr& obj = list.children[i];
          if (obj.kind != ir::AttrKind::Submodule || obj.module_class < 0 || !can_inline(depth)) continue;
          int32_t meth = find_method(p_, obj.module_class, n.name);
          if (meth < 0) continue;
          std::vector<int32_t> a = mapped_args();
          for (auto& x : a) x = latest(x);
          a[0] = self_node(obj.module_class, n.loc);
          phi.args.push_back(inline_fn(meth, a, mapped_kwargs(), obj.module_class, depth + 1, n.loc));
        }
        if (phi.args.size() == 1) return phi.args[0];
        if (!phi.args.empty()) return add(std::move(phi));
      }
    }
    if (n.op == "call" && (n.name == "getattr" || n.name == "builtins.getattr") && n.args.size() >= 2)
      if (int32_t d = namespace_function(m(n.args[0]), m(n.args[1]), f, n.loc); d >= 0) return d;
    if (n.op == "getitem" && n.args.size() == 2 && f.node(n.args[0]).op == "call" &&
        f.node(n.args[0]).name == "globals") {
      // globals()["_mix_" + self.mixer]: any function of the file the name can be (each a
      // configuration: a constructor argument's default is one of them, not the only one)
      if (std::string t = name_family(f, n.args[1], 0); t.find("{}") != std::string::npos && t != "{}") {
        std::vector<int32_t> defs;
        const std::string module = p_.file(f.file).module_name + ".";
        for (const ir::Function& g : p_.functions)
          if (g.owner_module < 0 && g.qualname.starts_with(module) &&
              g.qualname.find('.', module.size()) == std::string::npos &&
              ir::fits_template(t, g.qualname.substr(module.size())) && defs.size() < 12) {
            defs.push_back(function_node(g.id, g.name, n.loc, fid));
          }
        if (defs.size() == 1) return defs[0];
        if (!defs.empty()) {
          FlatNode phi;
          phi.op = "phi";
          phi.loc = n.loc;
          phi.function = fid;
          phi.args = std::move(defs);
          return add(std::move(phi));
        }
      }
      if (int32_t d = namespace_function(-1, m(n.args[1]), f, n.loc); d >= 0) return d;
    }
    // _GATES.setdefault(key, build(...)) / cache.setdefault(key, v): what the mapping holds under the
    // key, the default the call stores when it holds nothing there yet (any item stored before).
    if (n.op == "call" && n.name.ends_with(".setdefault") && n.args.size() >= 2 && m(n.args[1]) >= 0) {
      const std::string table = n.name.substr(0, n.name.size() - 11);
      if (auto [mfi, bound] = p_.global_binding(table); mfi >= 0 && bound >= 0) {
        std::vector<int32_t> held = global_items_[table];
        global_items_[table].push_back(m(n.args[1]));
        held.push_back(m(n.args[1]));
        return join(std::move(held), n.loc, fid);
      }
    }
    if (n.op == "setdefault" && n.args.size() >= 3 && m(n.args[2]) >= 0) return m(n.args[2]);
    // _STATE.raw = x / _STATE.raw with `_STATE = threading.local()` (or any module-level object):
    // an attribute of an object every module of the process shares, read back later in the call.
    if (n.op == "setattr" && n.args.size() == 2 && f.node(n.args[0]).op == "global" && m(n.args[1]) >= 0)
      global_attrs_[f.node(n.args[0]).name + "." + n.name] = m(n.args[1]);
    if (n.op == "attr" && n.args.size() == 1 && f.node(n.args[0]).op == "global" && !global_attrs_.empty())
      if (auto it = global_attrs_.find(f.node(n.args[0]).name + "." + n.name); it != global_attrs_.end())
        return it->second;
    if (n.op == "setitem" && n.args.size() == 3 && m(n.args[2]) >= 0) {
      // (the store itself is lowered below)
      if (f.node(n.args[0]).op == "global")
        global_items_[f.node(n.args[0]).name].push_back(m(n.args[2]));
      else if (auto key = shared_container(m(n.args[0])))
        global_items_[*key].push_back(m(n.args[2]));
    }
    if (const std::string* table = global_mapping_read(f, n, n.args.empty() ? -1 : m(n.args[0]));
        table && can_inline(depth)) {
      // _CONTEXT.get(self) / _CONTEXT[self] after the call stored values there: any of them.
      auto it = global_items_.find(*table);
      if (it != global_items_.end() && !it->second.empty()) {
        std::vector<int32_t> stored = it->second;
        if (n.op == "call") stored.push_back(constant("None", std::nullopt, n.loc, fid));  // .get's default
        return join(std::move(stored), n.loc, fid);
      }
    }
    if (n.op == "call" && (n.name == "functools.reduce" || n.name == "reduce") && n.args.size() >= 2 &&
        can_inline(depth)) {
      // functools.reduce(fn, xs[, start]): fn folded over the items, one value made from all of them.
      std::vector<int32_t> a = mapped_args();
      if (a.size() == n.args.size()) {
        const int32_t each = derived("iter_item", {a[1]}, n.loc, fid);
        const int32_t start = a.size() >= 3 ? a[2] : each;
        const int32_t step = call_value(a[0], {start, each}, {}, n.loc, fid, depth);
        if (step >= 0) return derived("fold", {step}, n.loc, fid);
      }
    }
    if (n.op == "call" && (n.name == "sum" || n.name == "builtins.sum") && !n.args.empty()) {
      // sum(xs, start) / sum(gen, start=logits): the start plus every item, elementwise (a sum of
      // tensors, not a reduction over one); without a start, a sequence's items added together.
      std::vector<int32_t> a = mapped_args();
      int32_t start = a.size() >= 2 ? a[1] : -1;
      for (auto& [k, v] : mapped_kwargs())
        if (k == "start") start = v;
      const std::string& seq = f.node(n.args[0]).op;
      if (a.size() == n.args.size() && a[0] >= 0 &&
          (start >= 0 || seq == "comprehension" || seq == "list" || seq == "tuple")) {
        const int32_t each = derived("iter_item", {a[0]}, n.loc, fid);
        return start >= 0 ? derived("add", {start, each}, n.loc, fid) : each;
      }
    }
    // filter(pred, xs) / itertools.filterfalse(pred, xs): some of the items of xs, in order.
    if (n.op == "call" && (n.name == "filter" || n.name == "builtins.filter" || n.name == "itertools.filterfalse") &&
        n.args.size() == 2 && m(n.args[1]) >= 0) {
      // filter(lambda m: isinstance(m, Conditioner), self.children()): the submodules of that class
      if (const int32_t cls = n.name != "itertools.filterfalse" ? isinstance_predicate(f, n.args[0]) : -1; cls >= 0) {
        const ir::Attr* table = iterated_container(m(n.args[1]), 0);
        if (!table) table = submodule_table(m(n.args[1]));
        if (table) {
          std::vector<ir::Attr> kept;
          for (const ir::Attr& c : table->children)
            if (c.kind == ir::AttrKind::Submodule && c.module_class >= 0 && is_a(c.module_class, cls)) kept.push_back(c);
          FlatNode sub;
          sub.op = "container";
          sub.attr = made_list(table->name, std::move(kept));
          sub.loc = n.loc;
          sub.function = fid;
          return add(std::move(sub));
        }
      }
      return m(n.args[1]);
    }
    if (n.op == "call" && (n.name == "map" || n.name == "builtins.map") && n.args.size() >= 2 && can_inline(depth)) {
      // map(fn, xs, ys): fn called on an item of each sequence; the items it makes, as a
      // comprehension would (`[fn(x, y) for x, y in zip(xs, ys)]`).
      std::vector<int32_t> a = mapped_args();
      if (a.size() == n.args.size()) {
        std::vector<int32_t> items;
        for (size_t k = 1; k < a.size(); ++k) items.push_back(derived("iter_item", {a[k]}, n.loc, fid));
        const ir::Node& fn_arg = f.node(n.args[0]);
        const int32_t receiver = fn_arg.op == "attr" && !fn_arg.args.empty() ? m(fn_arg.args[0]) : -1;
        // (a library function named directly, `map(torch.relu, xs)`, stays an opaque call)
        const int32_t callee = g_.nodes[static_cast<size_t>(a[0])].op != "global" ? a[0] : -1;
        const int32_t each = call_argument(fn_arg, callee, receiver, items, {}, n.loc, fid, depth);
        if (each >= 0) return derived("comprehension", {each, items.front()}, n.loc, fid);
      }
    }
    if (n.op == "call" && n.name == "inspect.getmembers" && !n.args.empty() && m(n.args[0]) >= 0) {
      // inspect.getmembers(self, ...): (name, bound method) rows of the instance's methods, by name
      // (the predicate aside: a comprehension's test on the name picks the steps, see sequence_items)
      const FlatNode obj = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (obj.op == "self" && obj.num) {
        std::map<std::string, int32_t> methods;
        for (int32_t c : ir::mro(p_, static_cast<int32_t>(*obj.num)))
          for (const auto& [name, id] : p_.mod(c).methods) methods.emplace(name, id);
        std::vector<int32_t> rows;
        for (const auto& [name, id] : methods) {
          if (rows.size() >= 32) break;
          const int32_t bound = bound_method(m(n.args[0]), id, name, n.loc, fid);
          rows.push_back(derived("tuple", {constant(name, std::nullopt, n.loc, fid), bound}, n.loc, fid));
        }
        if (!rows.empty()) return derived("list", std::move(rows), n.loc, fid);
      }
    }
    if (n.op == "call" && n.name == "itertools.starmap" && n.args.size() == 2 && can_inline(depth)) {
      // starmap(fn, rows): fn called with the parts of each row, rows given as an expression.
      std::vector<int32_t> a = mapped_args(), rows, made;
      if (a.size() == 2 && a[1] >= 0 && sequence_items(a[1], rows, 0)) {
        const ir::Node& fn_arg = f.node(n.args[0]);
        const int32_t receiver = fn_arg.op == "attr" && !fn_arg.args.empty() ? m(fn_arg.args[0]) : -1;
        const int32_t callee = g_.nodes[static_cast<size_t>(a[0])].op != "global" ? a[0] : -1;
        for (int32_t row : rows) {
          const FlatNode r = g_.nodes[static_cast<size_t>(row)];
          if (r.op != "tuple" && r.op != "list") break;
          if (int32_t v = call_argument(fn_arg, callee, receiver, r.args, {}, n.loc, fid, depth); v >= 0) made.push_back(v);
        }
        if (!made.empty() && made.size() == rows.size()) return derived("list", std::move(made), n.loc, fid);
      }
      // starmap(fn, zip(xs, ys)): rows made at run time, fn called on an item of each sequence
      // zipped, as map(fn, xs, ys) is.
      const FlatNode* zipped = a.size() == 2 && a[1] >= 0 ? &g_.nodes[static_cast<size_t>(a[1])] : nullptr;
      if (zipped && zipped->op == "call" && (zipped->name == "zip" || zipped->name == "builtins.zip") &&
          !zipped->args.empty()) {
        std::vector<int32_t> items;
        for (int32_t s : std::vector<int32_t>(zipped->args)) items.push_back(derived("iter_item", {s}, n.loc, fid));
        const ir::Node& fn_arg = f.node(n.args[0]);
        const int32_t receiver = fn_arg.op == "attr" && !fn_arg.args.empty() ? m(fn_arg.args[0]) : -1;
        const int32_t callee = g_.nodes[static_cast<size_t>(a[0])].op != "global" ? a[0] : -1;
        const int32_t each = call_argument(fn_arg, callee, receiver, items, {}, n.loc, fid, depth);
        if (each >= 0) return derived("comprehension", {each, items.front()}, n.loc, fid);
      }
    }
    if (n.op == "run" && n.args.size() >= 2 && f.node(n.args[0]).op == "call" &&
        f.node(n.args[0]).name == "contextvars.copy_context" && can_inline(depth)) {
      // contextvars.copy_context().run(fn, *args, **kwargs): fn(*args, **kwargs), in a copy of the
      // context (the variables it reads hold what they held when the copy was made).
      std::vector<int32_t> a = mapped_args();
      if (a.size() >= 2) {
        const ir::Node& fn_arg = f.node(n.args[1]);
        const int32_t callee = a[1];
        a.erase(a.begin(), a.begin() + 2);
        const int32_t receiver = fn_arg.op == "attr" && !fn_arg.args.empty() ? m(fn_arg.args[0]) : -1;
        return call_argument(fn_arg, callee, receiver, a, mapped_kwargs(), n.loc, fid, depth);
      }
    }
    if (n.name == "torch.utils.checkpoint.checkpoint" && !n.args.empty() && can_inline(depth)) {
      // Gradient checkpointing runs `fn(*args, **kwargs)` (less the options of its own).
      std::vector<int32_t> a = mapped_args();
      std::vector<std::pair<std::string, int32_t>> kw;
      static const std::set<std::string> own = {"use_reentrant", "preserve_rng_state", "context_fn",
                                                "determinism_check", "debug"};
      for (auto& k : mapped_kwargs())
        if (!own.count(k.first)) kw.push_back(k);
      if (!a.empty()) {
        const ir::Node& fn_arg = f.node(n.args[0]);
        const int32_t callee = a.front();
        a.erase(a.begin());
        const int32_t receiver = fn_arg.op == "attr" && !fn_arg.args.empty() ? m(fn_arg.args[0]) : -1;
        return call_argument(fn_arg, callee, receiver, a, kw, n.loc, fid, depth);
      }
    }
    if (n.name.empty() && n.args.size() == 2 && can_inline(depth))
      if (int32_t r = overloaded_operator(n.op, m(n.args[0]), m(n.args[1]), n.loc, depth); r >= 0) return r;
    // self.gate(x) on a layer slot the call has filled with another module (`stage.gate = Gate(keep)`).
    if (!class_state_.empty() && !n.name.empty() && n.name.find('.') == std::string::npos && f.owner_module >= 0 &&
        !f.param_nodes.empty())
      if (const ir::Attr* slot = ir::module_attr(p_, f.owner_module, n.name); slot && slot->kind == ir::AttrKind::Layer)
        if (const StoredState* st = submodule_state(m(f.param_nodes[0]), n.name))
          return call_stored(*st, mapped_args(), mapped_kwargs(), n.loc, fid, depth);
    // `raise E(value)` in the body of a try (or a function it called) and `except E as err`:
    // the handler's `err` is one of the instances raised so far.
    // (Raised under `if test:`, the instance is there only when the test passed: a join on it.)
    if (n.op == "raise" && !n.args.empty() && m(n.args[0]) >= 0) {
      int32_t cond = -1;
      for (const auto& [k, v] : n.kwargs)
        if (k == "cond") cond = m(v);
      raised_.emplace_back(m(n.args[0]), cond);
    }
    if (n.op == "caught" && !raised_.empty()) {
      std::vector<int32_t> instances;
      const int32_t caught_class = n.args.empty() || n.args[0] < 0 ? -1 : f.node(n.args[0]).target_module;
      for (auto [r, cond] : raised_) {
        const FlatNode& e = g_.nodes[static_cast<size_t>(r)];
        const int32_t cls = e.op == "self" && e.num ? static_cast<int32_t>(*e.num) : -1;
        const auto order = cls >= 0 ? ir::mro(p_, cls) : std::span<const int32_t>();
        if (caught_class >= 0 && cls >= 0 && std::find(order.begin(), order.end(), caught_class) == order.end())
          continue;
        if (cond < 0) {
          instances.push_back(r);
          continue;
        }
        FlatNode phi;
        phi.op = "phi";
        phi.args = {r};
        phi.kwargs = {{"cond", cond}};
        phi.loc = n.loc;
        phi.function = fid;
        instances.push_back(add(std::move(phi)));
      }
      if (!instances.empty()) return join(std::move(instances), n.loc, fid);
    }
    // `frame.f_locals["pixel_values"]` (a frame from sys._getframe / inspect): a caller's local
    // read by name; the model's input of that name is what a caller of the forward holds.
    if ((n.op == "getitem" || n.op == "get") && n.args.size() >= 2 && f.node(n.args[0]).op == "attr" &&
        f.node(n.args[0]).name == "f_locals")
      if (auto key = string_value(m(n.args[1])))
        for (int32_t in : g_.inputs)
          if (g_.nodes[static_cast<size_t>(in)].name == *key) return in;
    // dist.cdf(x) / dist.log_prob(x) of a torch.distributions location-scale family, built here
    // or in the constructor: the arithmetic on (x - loc) / scale it stands for.
    if (n.args.size() == 2)
      if (int32_t r = distribution_method(f, n, self_mod, m, fid); r >= 0) return r;
    // `for name, v in feats.items()`: the name is a key of the mapping, no data of the values.
    if (n.op == "getitem" && n.args.size() == 2 && f.node(n.args[1]).num == 0.0 && m(n.args[0]) >= 0) {
      const FlatNode& item = g_.nodes[static_cast<size_t>(m(n.args[0]))];
      if (item.op == "iter_item" && !item.args.empty() && item.args[0] >= 0 &&
          g_.nodes[static_cast<size_t>(item.args[0])].op == "items")
        return derived("dict_key", {item.args[0]}, n.loc, fid);
    }
    // self.head(h) (rewritten to the layer's op) after `self.head.forward = patched`: the patch.
    if (!submodule_state_.empty() && f.owner_module >= 0 && !n.name.empty() && can_inline(depth))
      if (const ir::Attr* layer = ir::module_attr(p_, f.owner_module, n.name);
          layer && layer->kind == ir::AttrKind::Layer)
        if (auto st = submodule_state_.find({layer, "forward"}); st != submodule_state_.end())
          return call_stored(st->second, mapped_args(), mapped_kwargs(), n.loc, fid, depth);
    FlatNode out;
    out.op = n.op;
    out.name = n.name;
    out.num = n.num;
    out.loc = n.loc;
    out.function = fid;
    out.ir_flags = n.flags;
    out.call_depth = depth;
    if (n.has(ir::kLearned)) out.flags |= kFlatLearned;
    if (n.op == "call" && n.target_module < 0 && n.target_function < 0) out.flags |= kFlatOpaque;
    out.args = mapped_args();
    out.kwargs = mapped_kwargs();
    if (f.owner_module >= 0 && !n.name.empty() && n.op.starts_with("conv"))  // self.probe(x), rewritten
      if (const ir::Attr* layer = ir::module_attr(p_, f.owner_module, n.name)) add_fixed_template(*layer, out);
    // model.predict(...) on a module handed to the constructor (its class unknown): a call of that
    // module, assumed learned like any unknown callable; tensor methods stay what they are.
    if (!n.name.empty() && !out.args.empty() && out.args[0] >= 0 &&
        g_.nodes[static_cast<size_t>(out.args[0])].op == "module_arg" && !tensor_method(n.op))
      out.flags |= kFlatOpaque | kFlatLearned;
    // `if test: out[i] = v` joins the edited object with itself as it was before the edit: the
    // arm the test skips is the value the edit started from, not the edited object.
    if (n.op == "phi" && n.args.size() == 2 && out.args.size() == 2 && out.args[0] == out.args[1] && out.args[0] >= 0)
      for (size_t k = 0; k < 2; ++k) {
        const ir::NodeId e = n.args[k], other = n.args[1 - k];
        if (e < 0 || other < 0 || e >= n.id || !f.node(e).has(ir::kInPlace) || f.node(e).args.empty() ||
            f.node(e).args[0] != other)
          continue;
        const FlatNode& edit = g_.nodes[static_cast<size_t>(out.args[k])];
        if (!edit.args.empty() && edit.args[0] >= 0 && edit.args[0] != out.args[k]) out.args[1 - k] = edit.args[0];
        break;
      }
    if (n.op == "phi") {
      for (ir::NodeId a : n.args)
        if (a >= n.id) {
          phi_fixups.emplace_back(g_.nodes.size(), static_cast<size_t>(n.id));
          out.flags |= kFlatLoopHeader;
          break;
        }
    }
    // `j += 1` on a counter this function computed (a loop join, a number, an earlier sum): the IR
    // already rebinds the name, and the edit stays in its branch (`if hit: j += k else: j += 1`).
    const bool counter =
        n.has(ir::kInPlace) && n.name.empty() && !n.args.empty() && n.args[0] >= 0 &&
        (n.op == "add" || n.op == "sub" || n.op == "mul" || n.op == "floordiv" || n.op == "mod") && [&] {
          const std::string& o = f.node(n.args[0]).op;
          return o == "phi" || o == "const" || o == "add" || o == "sub" || o == "mul" || o == "floordiv" || o == "mod";
        }();
    const bool edits = n.has(ir::kInPlace) && !counter && n.op != "setattr" && !out.args.empty() && out.args[0] >= 0;
    const int32_t edited = edits ? out.args[0] : -1;
    int32_t id = add(std::move(out));
    if (edited >= 0) mutated(edited, id, n.loc, fid);
    return id;
  }

  // `Normal(loc, scale).cdf(x)` (the distribution built in this function, or in the constructor
  // of the class `self` is: `self.tag = Normal(TAG, 0.01)`), as erf((x - loc) / scale); a
  // log_prob as the negated square (or absolute value) of the standardised value; -1 otherwise.
  int32_t distribution_method(const ir::Function& f, const ir::Node& n, int32_t self_mod,
                              const std::function<int32_t(ir::NodeId)>& m, int32_t fid) {
    const ir::Node& recv = f.node(n.args[0]);
    const ir::Function* owner = &f;
    const ir::Node* ctor = &recv;
    if (recv.op == "attr" && !recv.args.empty() && self_mod >= 0 && ir::is_self(f, recv.args[0])) {
      ctor = nullptr;
      for (int32_t c : ir::mro(p_, self_mod))
        if (const ir::Attr* a = p_.mod(c).attr(recv.name)) {
          const int32_t init = p_.mod(c).method("__init__");
          if (init >= 0 && a->init_node >= 0 && static_cast<size_t>(a->init_node) < p_.fn(init).nodes.size()) {
            owner = &p_.fn(init);
            ctor = &owner->node(a->init_node);
          }
          break;
        }
      if (!ctor) return -1;
    }
    const auto params = distributions::location_scale(ctor->name);
    const auto ex = distributions::of_method(ctor->name, n.op);
    if (!params || !ex.first) return -1;
    auto argument = [&](int position, const char* keyword) -> ir::NodeId {
      for (const auto& [k, v] : ctor->kwargs)
        if (k == keyword) return v;
      return position >= 0 && static_cast<size_t>(position) < ctor->args.size()
                 ? ctor->args[static_cast<size_t>(position)]
                 : ir::kNoNode;
    };
    auto value = [&](ir::NodeId id) { return owner == &f ? m(id) : foreign_value(*owner, id, n.loc, fid); };
    const ir::NodeId loc_id = argument(params->loc_position, params->loc_keyword);
    const ir::NodeId scale_id = argument(params->scale_position, params->scale_keyword);
    const int32_t x = m(n.args[1]);
    if (x < 0 || scale_id < 0 || (params->loc_position >= 0 && loc_id < 0)) return -1;
    int32_t z = x;
    if (loc_id >= 0) z = derived("sub", {z, value(loc_id)}, n.loc, fid);
    z = derived("div", {z, value(scale_id)}, n.loc, fid);
    z = derived(ex.first, {z}, n.loc, fid);
    return ex.second ? derived(ex.second, {z}, n.loc, fid) : z;
  }

  // `for stage in chain` over an object whose class defines __iter__: what its __next__ returns
  // when __iter__ hands back the object itself, else an item of what __iter__ returns; -1 when the
  // class defines no __iter__.
  int32_t custom_iteration(int32_t obj, const ir::Loc& loc, int depth) {
    const FlatNode& o = g_.nodes[static_cast<size_t>(obj)];
    if (o.op != "self" || !o.num) return -1;
    const int32_t cls = static_cast<int32_t>(*o.num);
    if (ir::module_attr(p_, cls, ir::kContainerItems)) return -1;  // (containers iterate their items)
    const int32_t it = find_method(p_, cls, "__iter__");
    const int32_t fid = stack_.empty() ? -1 : stack_.back();
    if (it < 0) {
      // The old sequence protocol: a class with __getitem__ (and __len__) but no __iter__ is
      // iterated by calling __getitem__(0), __getitem__(1), ...: any of its items.
      const int32_t get = find_method(p_, cls, "__getitem__");
      if (get < 0 || active_.count(get) || p_.fn(get).owner_module < 0 ||
          p_.mod(p_.fn(get).owner_module).is_nn_module || p_.fn(get).param_nodes.size() < 2)
        return -1;
      return inline_fn(get, {obj, opaque("param", {}, loc, false, fid, "index")}, {}, cls, depth + 1, loc);
    }
    // (a module class of the tree with an __iter__ of its own, `return iter(self.stages)`, is walked
    // as it says; nn.Module subclasses defined by torch itself iterate their items, above)
    if (active_.count(it) || p_.fn(it).owner_module < 0) return -1;
    int32_t made = inline_fn(it, {obj}, {}, cls, depth + 1, loc);
    if (made < 0) return -1;
    const FlatNode& r = g_.nodes[static_cast<size_t>(made)];
    if (r.op == "self" && r.num && static_cast<int32_t>(*r.num) == cls) {
      const int32_t next = find_method(p_, cls, "__next__");
      if (next < 0 || active_.count(next)) return -1;
      // __next__ returning `self.stages[self.at]`: the loop walks that sequence.
      if (const ir::Attr* walked = indexed_attr_returned(p_.fn(next), cls))
        return derived("iter_item", {attr_value(*walked, loc, fid, walked->name)}, loc, fid);
      return inline_fn(next, {obj}, {}, cls, depth + 1, loc);
    }
    if (r.op == "generator") {  // a generator __iter__ (`yield from chain(...)`): what it yields
      std::vector<int32_t> yielded;
      return yields(made, yielded, 0) && !yielded.empty() ? join(std::move(yielded), loc, fid) : -1;
    }
    // `return iter(self.stages)`: an item of the sequence.
    if (r.op == "call" && r.name == "iter" && r.args.size() == 1) made = r.args[0];
    return derived("iter_item", {made}, loc, fid);
  }

  // The attribute of `self` a method returns an item of (`return self.stages[i]`, through a local),
  // when it is a sequence attribute of class `cls`; nullptr otherwise.
  const ir::Attr* indexed_attr_returned(const ir::Function& g, int32_t cls) const {
    for (ir::NodeId r : g.returns) {
      if (g.node(r).args.empty()) continue;
      const ir::Node& v = g.node(g.node(r).args[0]);
      if (v.op != "getitem" || v.args.empty()) continue;
      const ir::Node& base = g.node(v.args[0]);
      if (base.op != "attr" || base.args.empty() || !ir::is_self(g, base.args[0])) continue;
      const ir::Attr* a = ir::module_attr(p_, cls, base.name);
      if (a && !a->children.empty()) return a;
    }
    return nullptr;
  }

  // The shared mapping a node reads an item of (`TABLE.get(k)`, `TABLE[k]`, `state.get(k)` with
  // `receiver` the value it reads from), or nullptr.
  const std::string* global_mapping_read(const ir::Function& f, const ir::Node& n, int32_t receiver) const {
    if (n.op == "getitem" && n.args.size() == 2 && f.node(n.args[0]).op == "global") {
      auto it = global_items_.find(f.node(n.args[0]).name);
      return it == global_items_.end() ? nullptr : &it->first;
    }
    if (n.op == "call" && n.name.ends_with(".get")) {
      auto it = global_items_.find(n.name.substr(0, n.name.size() - 4));
      return it == global_items_.end() ? nullptr : &it->first;
    }
    // state.get(k) / state[k] on a shared mutable default (or a name bound to the module-level one).
    if ((n.op == "get" || n.op == "getitem") && n.args.size() >= 2 && receiver >= 0 && !global_items_.empty())
      if (auto key = shared_container(receiver)) {
        auto it = global_items_.find(*key);
        return it == global_items_.end() ? nullptr : &it->first;
      }
    return nullptr;
  }

  // The name under which items stored into a container shared between calls are kept: a
  // module-level mapping ("pkg.mod._STATE") or a function's mutable default ("default:#17"),
  // seen through the versions stores and joins made of it; nullopt for any other value.
  // (Asked for every item store: a bounded walk, each node once.)
  std::optional<std::string> shared_container(int32_t v) const {
    std::optional<std::string> one;
    std::vector<int32_t> work{v};
    std::set<int32_t> seen;
    while (!work.empty()) {
      const int32_t cur = work.back();
      work.pop_back();
      if (cur < 0 || !seen.insert(cur).second) continue;
      if (seen.size() > 64) return std::nullopt;
      const FlatNode& n = g_.nodes[static_cast<size_t>(cur)];
      std::optional<std::string> here;
      if (n.op == "global" && !n.name.empty())
        here = n.name;
      else if (default_object_nodes_.count(cur))
        here = "default:#" + std::to_string(cur);
      else if (n.op == "setitem" && !n.args.empty())
        work.push_back(n.args[0]);
      else if (n.op == "phi" && !n.args.empty())
        work.insert(work.end(), n.args.begin(), n.args.end());
      else
        return std::nullopt;  // (a join with any other value is not the shared object)
      if (here && one && *one != *here) return std::nullopt;
      if (here) one = here;
    }
    return one;
  }

  // A callable attribute chosen one of several ways among functions only (its alternatives are
  // called through attr_value's phi, not through call_attr's).
  // Whether the attribute or one of its alternatives is a functools.partial binding arguments.
  static bool binds_arguments(const ir::Attr& a) {
    return !a.bound.empty() ||
           std::any_of(a.alternatives.begin(), a.alternatives.end(), [](const ir::Attr& x) { return !x.bound.empty(); });
  }

  static bool function_choices(const ir::Attr& a) {
    return a.function >= 0 && !a.alternatives.empty() &&
           std::all_of(a.alternatives.begin(), a.alternatives.end(), [](const ir::Attr& x) { return x.function >= 0; });
  }

  // A method the instance holds bound to itself (`self.epilogue = self._guard`), read through
  // `receiver`: the def carries the receiver as its operand, as `getattr(self, name)` does.
  int32_t bind_receiver(int32_t v, int32_t receiver) {
    if (v < 0 || receiver < 0) return v;
    FlatNode& x = g_.nodes[static_cast<size_t>(v)];
    if (x.op == "def" && x.attr && x.attr->type == "bound_method" && x.args.empty()) {
      x.args = {receiver};
    } else if (x.op == "phi") {
      const std::vector<int32_t> arms = x.args;
      for (int32_t arm : arms) bind_receiver(arm, receiver);
    }
    return v;
  }

  // `getattr(sys.modules[__name__], name)`, `globals()[name]` (ns = -1), `getattr(plugins, name)`
  // with the name known here: the function of that module of the tree, or -1.
  // The family of names a string expression builds: `"_mix_" + cfg.mode` -> `_mix_{}` (some literal
  // text must fix it); "" when it is not a string expression.
  std::string name_family(const ir::Function& f, ir::NodeId id, int depth) const {
    if (id < 0 || depth > 6) return {};
    const ir::Node& n = f.node(id);
    if (n.op == "const" && !n.num && !n.name.empty()) return n.args.empty() ? n.name : ir::name_template(n.name);
    if (n.op == "attr" && n.args.size() == 1 && ir::is_self(f, n.args[0]) && f.owner_module >= 0)
      if (const ir::Attr* a = ir::module_attr(p_, f.owner_module, n.name); a && a->type.starts_with("argument:"))
        return "{}";  // (a constructor argument: whatever a construction site passes)
    if (n.op != "add" || n.args.size() != 2) return {};
    std::string a = name_family(f, n.args[0], depth + 1), b = name_family(f, n.args[1], depth + 1);
    if ((a.empty() || a == "{}") && (b.empty() || b == "{}")) return {};
    return (a.empty() ? "{}" : a) + (b.empty() ? "{}" : b);
  }

  int32_t namespace_function(int32_t ns, int32_t key, const ir::Function& f, const ir::Loc& loc) {
    const std::optional<std::string> name = string_value(key);
    const std::optional<std::string> module = namespace_module(ns, f);
    if (!name || !module) return -1;
    const std::string qualname = *module + "." + *name;
    for (const ir::Function& g : p_.functions) {
      if (g.qualname != qualname || g.owner_module >= 0) continue;
      return function_node(g.id, *name, loc, f.id);
    }
    return -1;
  }

  // The module a namespace value names: `sys.modules[__name__]` (this file's), `sys.modules["pkg.m"]`,
  // an imported module of the tree; ns = -1 for `globals()`. nullopt for any other value.
  std::optional<std::string> namespace_module(int32_t ns, const ir::Function& f) const {
    std::string module = p_.file(f.file).module_name;
    if (ns < 0) return module;
    const FlatNode& x = g_.nodes[static_cast<size_t>(ns)];
    if (x.op == "getitem" && x.args.size() == 2 && g_.nodes[static_cast<size_t>(x.args[0])].op == "global" &&
        g_.nodes[static_cast<size_t>(x.args[0])].name == "sys.modules") {
      const FlatNode& k = g_.nodes[static_cast<size_t>(x.args[1])];
      if (k.op == "global" && k.name == "__name__") return module;
      return string_value(x.args[1]);
    }
    if (x.op == "global" && p_.file_by_module_name(x.name) >= 0) return x.name;
    return std::nullopt;
  }

  // getattr(sys.modules[__name__], "_prep_" + mode), folded to the name family `_prep_{}`: any
  // module-level function of that module whose name fits.
  int32_t namespace_family(int32_t ns, const std::string& name, const ir::Function& f, const ir::Loc& loc) {
    const std::optional<std::string> module = namespace_module(ns, f);
    if (!module || name.find("{}") == std::string::npos) return -1;
    std::vector<int32_t> fits;
    for (const ir::Function& g : p_.functions)
      if (g.owner_module < 0 && g.qualname == *module + "." + g.name && ir::fits_template(name, g.name) &&
          fits.size() < 8)
        fits.push_back(function_node(g.id, g.name, loc, f.id));
    return fits.empty() ? -1 : join(std::move(fits), loc, f.id);
  }

  // `patches @ self.proj`, `batch | pipeline`, `table[key]`: an operator on an object of a class of
  // the tree runs that class's special method: the left operand's (`__matmul__`), else the right
  // one's reflected method (`__rmatmul__`); an item read runs `__getitem__`, or a dict subclass's
  // `__missing__` (which of the two a key reaches is not known statically: both, merged).
  // -1 when neither operand's class defines one.
  int32_t overloaded_operator(const std::string& op, int32_t left, int32_t right, const ir::Loc& loc, int depth) {
    static const std::map<std::string, std::pair<const char*, const char*>> methods = {
        {"add", {"__add__", "__radd__"}},
        {"sub", {"__sub__", "__rsub__"}},
        {"mul", {"__mul__", "__rmul__"}},
        {"div", {"__truediv__", "__rtruediv__"}},
        {"floordiv", {"__floordiv__", "__rfloordiv__"}},
        {"remainder", {"__mod__", "__rmod__"}},
        {"pow", {"__pow__", "__rpow__"}},
        {"matmul", {"__matmul__", "__rmatmul__"}},
        {"logical_and", {"__and__", "__rand__"}},
        {"logical_or", {"__or__", "__ror__"}},
        {"logical_xor", {"__xor__", "__rxor__"}},
        {"lshift", {"__lshift__", "__rlshift__"}},
        {"rshift", {"__rshift__", "__rrshift__"}},
        {"getitem", {"__getitem__", nullptr}},
        {"in", {nullptr, "__contains__"}},
        {"not_in", {nullptr, "__contains__"}}};
    auto it = methods.find(op);
    if (it == methods.end() || left < 0 || right < 0) return -1;
    const int32_t fid = stack_.empty() ? -1 : stack_.back();
    auto object_class = [&](int32_t v) {
      const FlatNode& x = g_.nodes[static_cast<size_t>(v)];
      int32_t cls = x.op == "self" && x.num ? static_cast<int32_t>(*x.num) : -1;
      if (x.op == "global") {  // `TABLE = Table()` at module level
        auto [mfi, bound] = p_.global_binding(x.name);
        if (mfi >= 0 && bound >= 0) cls = ir::instance_class(p_, p_.fn(mfi), bound, 0);
      }
      if (cls < 0) return -1;
      // A container's items are followed as such (`self.blocks[0]`), not through its __getitem__.
      return ir::module_attr(p_, cls, ir::kContainerItems) ? -1 : cls;
    };
    auto run = [&](int32_t cls, const char* name, int32_t self, int32_t other) {
      const int32_t meth = name ? find_method(p_, cls, name) : -1;
      return meth >= 0 && !active_.count(meth) ? inline_fn(meth, {self, other}, {}, cls, depth + 1, loc) : -1;
    };
    if (int32_t cls = object_class(left); cls >= 0) {
      int32_t r = run(cls, it->second.first, left, right);
      if (op == "getitem") {
        const int32_t missing = run(cls, "__missing__", left, right);
        if (r >= 0 && missing >= 0) return join({r, missing}, loc, fid);
        if (missing >= 0) {  // a key the dict holds is read as usual: one of the entries it was given
          std::vector<int32_t> found;
          if (const ir::Attr* held = g_.nodes[static_cast<size_t>(left)].attr;
              held && held->kind == ir::AttrKind::Submodule)
            for (const ir::Attr& e : held->children) found.push_back(attr_value(e, loc, fid, held->name + "." + e.name));
          if (found.empty()) found.push_back(derived("getitem", {left, right}, loc, fid));
          found.push_back(missing);
          return join(std::move(found), loc, fid);
        }
      }
      if (r >= 0) return r;
    }
    if (int32_t cls = object_class(right); cls >= 0) {
      const int32_t r = run(cls, it->second.second, right, left);
      // `row not in table`: the negation of __contains__
      return r < 0 || op != "not_in" ? r : derived("logical_not", {r}, loc, fid);
    }
    return -1;
  }

  // The method a user-defined __getattribute__ of `cls` hands out for `name` when it looks names up
  // in a class-level dict literal (`_aliases = {"q_values": "_q_values_v2"}` ... `table.get(name,
  // name)`): the method named by that dict's entry for `name`, or -1.
  int32_t renamed_method(int32_t cls, const std::string& name) const {
    const int32_t ga = find_method(p_, cls, "__getattribute__");
    if (ga < 0 || p_.fn(ga).owner_module < 0) return -1;
    const ir::Function& g = p_.fn(ga);
    const ir::Module& owner = p_.mod(g.owner_module);
    if (owner.body_function < 0) return -1;
    const ir::Function& body = p_.fn(owner.body_function);
    // Which class-level tables the override reads (by their names, as string constants or attributes).
    for (const auto& [var, vid] : owner.class_vars) {
      bool read = false;
      for (const ir::Node& x : g.nodes)
        read |= (x.op == "const" && !x.num && x.name == var) || (x.op == "attr" && x.name == var);
      if (!read) continue;
      const ir::NodeId entry = ir::dict_entry(body, vid, name);
      if (entry < 0) continue;
      const ir::Node& v = body.node(entry);
      if (v.op != "const" || v.num || v.name.empty()) continue;
      return find_method(p_, cls, v.name);
    }
    return -1;
  }

  // The descriptor object held as class attribute `name` of `cls` or a base (`epoch = Epoch(bits=12)`
  // in the class body) when its class defines `method` (__get__ / __set__): one object per class
  // attribute, built once with the class body's arguments; -1 when there is none.
  int32_t descriptor(int32_t cls, const std::string& name, const char* method, const ir::Loc& loc, int32_t fid) {
    std::vector<int32_t> work{cls};
    std::set<int32_t> seen;
    while (!work.empty()) {
      const int32_t c = work.back();
      work.pop_back();
      if (c < 0 || !seen.insert(c).second || seen.size() > 16) continue;
      const ir::Module& mod = p_.mod(c);
      if (auto it = mod.class_vars.find(name); it != mod.class_vars.end() && mod.body_function >= 0) {
        const ir::Function& body = p_.fn(mod.body_function);
        const ir::Node& v = body.node(it->second);
        if (v.op != "call" || v.target_module < 0 || find_method(p_, v.target_module, method) < 0) return -1;
        auto [pos, fresh] = descriptors_.emplace(std::make_pair(c, name), -1);
        if (!fresh) return pos->second;
        const int32_t obj = self_node(v.target_module, loc);
        pos->second = obj;
        if (int32_t init = find_method(p_, v.target_module, "__init__"); init >= 0 && !v.args.empty()) {
          std::vector<int32_t> a{obj};
          for (ir::NodeId x : v.args) a.push_back(foreign_value(body, x, loc, fid));
          inline_fn(init, a, {}, v.target_module, 1, loc);
        }
        return obj;
      }
      work.insert(work.end(), mod.base_modules.begin(), mod.base_modules.end());
    }
    return -1;
  }

  // The value the call stored as attribute `name` of one of the model's submodules (`obj`, a self
  // node), or -1.
  const StoredState* submodule_state(int32_t obj, const std::string& name) const {
    if (obj < 0 || (submodule_state_.empty() && class_state_.empty())) return nullptr;
    const FlatNode& b = g_.nodes[static_cast<size_t>(obj)];
    if (b.op != "self" || !b.num) return nullptr;
    if (b.attr)
      if (auto st = submodule_state_.find({b.attr, name}); st != submodule_state_.end()) return &st->second;
    if (auto st = class_state_.find({static_cast<int32_t>(*b.num), name}); st != class_state_.end()) return &st->second;
    return nullptr;
  }

  // Calls the module the call stored in a submodule's slot; the store is on the trace (where the
  // model hands the module its data), as a call is.
  int32_t call_stored(const StoredState& st, std::vector<int32_t> args,
                      std::vector<std::pair<std::string, int32_t>> kwargs, const ir::Loc& loc, int32_t fid, int depth) {
    return with_frame(st.written_at, [&] { return call_value(st.value, std::move(args), std::move(kwargs), loc, fid, depth); });
  }

  // Runs `call` with `at` on the trace as one more call on the way in (where a stored or
  // installed callable was put in place).
  template <class Call>
  int32_t with_frame(const ir::Loc& at, Call call) {
    const int32_t outer_stack = call_stack_;
    calls_.push_back(at);
    call_stack_ = -1;
    const int32_t r = call();
    calls_.pop_back();
    call_stack_ = outer_stack;
    return r;
  }

  // The object `v` as it is now: its newest in-place version, also through a loop that edited it in
  // place (`for b in blocks: out += b(x)` makes a loop phi whose first operand is `v`).
  int32_t current_object(int32_t v) const {
    for (int guard = 0; v >= 0 && guard < 16; ++guard) {
      v = latest(v);
      int32_t next = -1;
      for (size_t i = static_cast<size_t>(v) + 1; i < g_.nodes.size() && next < 0; ++i) {
        const FlatNode& n = g_.nodes[i];
        if (n.op == "phi" && (n.flags & kFlatLoopHeader) && !n.args.empty() && n.args[0] == v)
          next = static_cast<int32_t>(i);
      }
      if (next < 0) break;
      v = next;
    }
    return latest(v);
  }

  // The newest version of a value edited in place since it was made (`logits.masked_fill_(...)` in a
  // helper that was handed `logits`, or in the same function).
  int32_t latest(int32_t v) const {
    if (newer_.empty()) return v;  // (most graphs edit nothing in place: every operand lookup comes here)
    for (int guard = 0; v >= 0 && guard < 64; ++guard) {
      auto it = newer_.find(v);
      if (it == newer_.end()) break;
      v = it->second;
    }
    return v;
  }

  // The tensor a constructor argument registered on a submodule (`register_buffer("state",
  // state)`) that `value` is, or an in-place edit of (`self.state.resize_(b)`); null otherwise.
  const ir::Attr* passed_tensor(int32_t value) const {
    for (int guard = 0; value >= 0 && guard < 8; ++guard) {
      const FlatNode& v = g_.nodes[static_cast<size_t>(value)];
      if (v.attr && v.op == "attr" && (v.flags & kFlatConstTensor) && v.attr->type.rfind("argument:", 0) == 0)
        return v.attr;
      if (v.args.empty() || !(v.ir_flags & ir::kInPlace)) return nullptr;
      value = v.args[0];
    }
    return nullptr;
  }

  // `value` was edited in place into `version`: later reads of it (through any name, in the caller
  // too) see the new version, and a view's edit writes through to the tensor it views
  // (`last = logits[:, -1]; last.masked_fill_(...)` edits `logits`).
  void mutated(int32_t value, int32_t version, const ir::Loc& loc, int32_t fid) {
    for (int guard = 0; value >= 0 && value != version && guard < 8; ++guard) {
      newer_[value] = version;
      if (const ir::Attr* a = passed_tensor(value)) passed_tensor_state_[a->type] = version;
      const FlatNode& v = g_.nodes[static_cast<size_t>(value)];
      if (v.op != "getitem" || v.args.size() != 2 || v.args[0] < 0) return;
      FlatNode write;
      write.op = "setitem";
      write.args = {latest(v.args[0]), v.args[1], version};
      write.loc = loc;
      write.function = fid;
      write.ir_flags = ir::kInPlace;
      value = v.args[0];
      version = add(std::move(write));
    }
  }

 private:
  const ir::Program& p_;
  FlatGraph& g_;
  std::set<int32_t> active_;
  // The functions being inlined, innermost last, with their node maps: closures read their
  // enclosing function's values there.
  std::vector<std::pair<int32_t, const std::vector<int32_t>*>> frames_;
  // The variables of the call that made a closure (see the def / lambda case): flat def node ->
  // {enclosing function, its value map then}.
  std::unordered_map<int32_t, std::pair<int32_t, std::vector<int32_t>>> closures_;
  // The call that made each generator node (to run it again for `send`), and the values being sent.
  struct GeneratorCall {
    int32_t fid;
    std::vector<int32_t> args;
    std::vector<std::pair<std::string, int32_t>> kwargs;
    int32_t self_mod;
    std::vector<int32_t> returned;  // what the generator function's `return` statements give
  };
  std::unordered_map<int32_t, GeneratorCall> generator_calls_;
  std::map<std::string, int32_t> global_attrs_;  // "pkg.mod._STATE.raw" -> the value stored there last
  std::map<std::string, std::vector<int32_t>> registered_;  // table -> functions a decorator stores there
  std::map<std::string, int32_t> context_values_;  // ContextVar -> the value set last
  // Forward hooks registered while the model runs: submodule -> the module value, the hook value.
  struct RunTimeHook {
    int32_t module, hook;
    ir::Loc registered_at;
  };
  std::map<const ir::Attr*, std::vector<RunTimeHook>> forward_hooks_;
  std::vector<int32_t> sent_;
  std::map<std::pair<int32_t, std::string>, int32_t> argument_class_;  // argument_class() memo
  std::map<std::pair<int32_t, std::string>, std::optional<double>> argument_number_;  // argument_number() memo
  std::map<std::pair<int32_t, std::string>, bool> stored_argument_;        // stored_argument() memo
  std::map<std::pair<int32_t, std::string>, int32_t> argument_function_;  // argument_function() memo
  std::map<std::string, int32_t> state_;  // attributes of the root's instance written during the call
  // Module-level mappings written during the call (`_CONTEXT[stage] = factor`): the values stored,
  // whatever the key (a later `_CONTEXT.get(self)` may read any of them).
  std::map<std::string, std::vector<int32_t>> global_items_;
  std::map<std::pair<int32_t, std::string>, std::vector<int32_t>> cell_writes_;  // (function, variable) -> values
  // The exception instances `raise` statements made during the call, with the test each was raised
  // under (-1 when none).
  std::vector<std::pair<int32_t, int32_t>> raised_;
  // (function, default node) -> the one object a mutable parameter default is (see shared_container)
  std::map<std::pair<int32_t, ir::NodeId>, int32_t> default_objects_;
  std::set<int32_t> default_object_nodes_;                           // the values of default_objects_
  std::map<std::pair<int32_t, std::string>, int32_t> object_state_;  // (object node, attribute) -> value written
  // Fields written on objects handed to constructors, by field name: which submodules share one
  // object is decided at construction; any of them may read what another wrote.
  std::map<std::string, int32_t> passed_object_state_;
  // Tensors handed to constructors and edited in place during the call, by `argument:<param>`.
  std::map<std::string, int32_t> passed_tensor_state_;
  // (one of the model's submodules, attribute) -> value written on it during the call, and by the
  // submodule's class
  std::map<std::pair<const ir::Attr*, std::string>, StoredState> submodule_state_;
  std::map<std::pair<int32_t, std::string>, StoredState> class_state_;
  std::map<std::pair<int32_t, std::string>, int32_t> descriptors_;  // (class, attribute) -> descriptor object
  std::map<int32_t, std::vector<DeferredCall>> exit_callbacks_;     // ExitStack object -> its callbacks
  int exits_run_ = 0;                                               // `with` exits that ran callbacks
  std::unordered_map<int32_t, int32_t> instance_dict_;              // object -> a value stored in its __dict__
  std::map<std::pair<int32_t, std::string>, int32_t> setters_;      // property_setter() memo
  std::set<int32_t> unwrapped_;                 // decorated functions whose wrapper is running (their body runs as is)
  std::vector<int32_t> stack_;                  // the functions being inlined, innermost last
  std::unordered_map<int32_t, int32_t> newer_;  // value -> the version an in-place edit made of it
  std::vector<std::unique_ptr<ir::Attr>> owned_;      // attributes made here (one configuration of another)
  std::unordered_map<std::string, int32_t> classes_;  // qualname -> module, built on first use
  std::set<int32_t> dispatching_;                     // singledispatch generics whose implementations are being merged
  std::map<int32_t, int32_t> decorator_objects_;      // decorator class whose __call__ runs -> the function it wraps
  std::map<int32_t, int32_t> wrapped_;  // decorator function -> the function it wraps, while its wrapper runs
  ir::Loc anchor_;                      // see FlatNode::anchor
  std::vector<ir::Loc> calls_;          // the calls being inlined, outermost first
  std::map<int32_t, int32_t> record_class_;  // records (dataclass / NamedTuple values) built in the graph -> class
  std::set<int32_t> entered_bound_;  // (bound functions whose binding frame is pushed)
  bool keep_anchor_ = false;  // (the wrapper about to be inlined runs for a decorator line of the root)
  std::map<int32_t, int32_t> tensor_class_;  // value node -> the tensor subclass of the tree it was cast to
  std::set<int32_t> built_during_call_;  // instances of classes of the tree constructed during the call
  int32_t call_stack_ = -1;             // calls_ interned in g_.call_stacks, or -1 until needed
  int training_ = 0;                    // > 0 while lowering code that runs only while the module trains
  int32_t capture_fn_ = -1;             // while inlining a stash's writer: the node whose value is wanted
  ir::NodeId capture_node_ = -1;
  int32_t captured_ = -1;
};

}  // namespace

FlatGraph flatten(const ir::Program& p, const Root& root) {
  FlatGraph g;
  g.root = root;
  Inliner in(p, g);
  const ir::Function& f = p.fn(root.function);
  std::vector<int32_t> args;
  size_t first_input = 0;
  bool method = (f.owner_module >= 0 || root.self_module >= 0 || root.kind == RootKind::PatchedForward ||
                 root.kind == RootKind::PreHook || root.kind == RootKind::ForwardHook) &&
                !root.unbound;
  // (a partial's bound positions come first: objects fixed at registration, see Root::bound_cells)
  const size_t bound = root.hook_object ? 0 : std::min(root.bound_cells.size(), f.param_nodes.size());
  for (size_t i = 0; i < bound; ++i) {
    const ir::Node& b = f.node(f.param_nodes[i]);
    args.push_back(in.opaque("param", {}, b.loc, false, f.id, b.name));
  }
  if (method && f.param_nodes.size() > bound) {
    const ir::Node& s = f.node(f.param_nodes[bound]);
    int32_t self_mod = root.self_module >= 0 ? root.self_module : f.owner_module;
    args.push_back(self_mod >= 0 ? in.self_node(self_mod, s.loc) : in.opaque("param", {}, s.loc, false, f.id, s.name));
    first_input = bound + 1;
    if (root.hook_object && f.param_nodes.size() > 1) {
      // __call__(self, module, inputs[, output]): the hooked module is unknown here.
      const ir::Node& mn = f.node(f.param_nodes[1]);
      args.push_back(in.opaque("param", {}, mn.loc, false, f.id, mn.name));
      first_input = 2;
    }
  }
  for (size_t i = first_input; i < f.param_nodes.size(); ++i) {
    const ir::Node& pn = f.node(f.param_nodes[i]);
    FlatNode n;
    n.op = "input";
    n.name = pn.name;
    n.loc = pn.loc;
    n.function = f.id;
    n.flags = kFlatInput;
    // functools.partial(hook, fingerprint=...) bound it at registration: a stored value, no input.
    if (std::find(root.bound_keywords.begin(), root.bound_keywords.end(), pn.name) != root.bound_keywords.end()) {
      n.op = "attr";
      n.flags = kFlatConstTensor;
      args.push_back(in.add(std::move(n)));
      continue;
    }
    n.input_index = static_cast<int32_t>(i - first_input);
    // A forward hook's third argument is the module's (learned) output; a pre-hook's inputs on an
    // inner submodule are the activations of the layers before it.
    if ((root.kind == RootKind::ForwardHook && i == first_input + 1) ||
        (root.kind == RootKind::PreHook && root.input_learned)) {
      n.op = "module_output";
      n.flags = kFlatLearned | kFlatOpaque;
    }
    int32_t id = in.add(std::move(n));
    if (g.nodes[static_cast<size_t>(id)].op == "input") g.inputs.push_back(id);
    args.push_back(id);
  }
  int32_t self_mod = root.self_module >= 0 ? root.self_module : f.owner_module;
  int32_t out = in.inline_fn(root.function, args, {}, self_mod, 0, f.loc);
  if (out >= 0) g.outputs.push_back(out);
  g.truncated = g.nodes.size() >= kMaxNodes;
  return g;
}

namespace {

// `functools.partial(fn, ...)`: the partial call node, or -1.
ir::NodeId partial_call(const ir::Function& f, ir::NodeId id) {
  if (id < 0) return -1;
  const ir::Node& n = f.node(id);
  const bool partial = n.op == "call" && (n.name == "functools.partial" || n.name == "partial");
  return partial && !n.args.empty() ? id : -1;
}

// A function value in the IR: a def / lambda / resolved global, or what a partial wraps.
int32_t function_of(const ir::Function& f, ir::NodeId id) {
  if (id < 0) return -1;
  const ir::Node& n = f.node(id);
  if (n.target_function >= 0) return n.target_function;
  if (partial_call(f, id) >= 0) return function_of(f, n.args[0]);
  if ((n.op == "attr" || n.op == "getattr") && !n.args.empty()) return -1;
  return -1;
}

// The class of an object value: `Model(...)`, a variable bound to it, or a method's own `self`
// (`self.forward = types.MethodType(fn, self)` in __init__).
int32_t class_of(const ir::Function& f, ir::NodeId id) {
  for (int guard = 0; id >= 0 && guard < 8; ++guard) {
    const ir::Node& n = f.node(id);
    if (n.target_module >= 0) return n.target_module;
    if (n.op == "param" && n.num && *n.num == 0 && f.owner_module >= 0 && !f.params.empty() && f.params[0] == "self")
      return f.owner_module;
    if (n.op == "phi" && !n.args.empty()) {
      id = n.args[0];
      continue;
    }
    break;
  }
  return -1;
}

// The class of a module value, through attributes of modules of known class (`self.layer2`).
int32_t class_of(const ir::Program& p, const ir::Function& f, ir::NodeId id, int depth = 0) {
  if (id < 0 || depth > 8) return -1;
  if (int32_t c = class_of(f, id); c >= 0) return c;
  const ir::Node& n = f.node(id);
  if (n.op == "param") {
    // `def init(module): ... isinstance(module, Encoder) ... module.register_forward_pre_hook(h)`
    // (a function `model.apply` visits): the one class of the tree the function tests it against.
    int32_t narrowed = -1;
    for (const ir::Node& c : f.nodes)
      if (c.op == "call" && (c.name == "isinstance" || c.name == "builtins.isinstance") && c.args.size() == 2 &&
          c.args[0] == id && c.args[1] >= 0 && f.node(c.args[1]).target_module >= 0) {
        if (narrowed >= 0 && narrowed != f.node(c.args[1]).target_module) return -1;
        narrowed = f.node(c.args[1]).target_module;
      }
    if (narrowed >= 0) return narrowed;
    // `def attach(net): net.register_forward_pre_hook(h)`: the instance every caller passes.
    return argument_class(p, f.id, n);
  }
  if (n.op != "attr" || n.args.size() != 1) return -1;
  const int32_t owner = class_of(p, f, n.args[0], depth + 1);
  const ir::Attr* a = owner >= 0 ? ir::module_attr(p, owner, n.name) : nullptr;
  return a && a->kind == ir::AttrKind::Submodule ? a->module_class : -1;
}

// The items of a sequence a function builds, in order: `nn.Sequential(*steps)` with `steps = [A()]`,
// `steps.append(B())` (under a flag or not), `steps += [C(), D()]`.
void sequence_items(const ir::Function& f, ir::NodeId id, std::vector<ir::NodeId>& out, int depth) {
  if (id < 0 || depth > 12 || out.size() > 64) return;
  const ir::Node& n = f.node(id);
  if (n.op == "starred" && !n.args.empty()) return sequence_items(f, n.args[0], out, depth + 1);
  if (n.op == "list" || n.op == "tuple") {
    out.insert(out.end(), n.args.begin(), n.args.end());
  } else if ((n.op == "append" || n.op == "add") && n.args.size() == 2) {
    sequence_items(f, n.args[0], out, depth + 1);
    if (n.op == "append")
      out.push_back(n.args[1]);
    else
      sequence_items(f, n.args[1], out, depth + 1);
  } else if (n.op == "call" && (n.name == "itertools.chain" || n.name == "chain") && !n.args.empty()) {
    // itertools.chain(prep, backbone()): the items of each, one after another
    for (ir::NodeId a : n.args) sequence_items(f, a, out, depth + 1);
  } else if ((n.op == "phi" || n.op == "select") && !n.args.empty()) {
    // (one arm extends the other: the longer one holds every item either may)
    // (`[A(), B()] if flag else [B()]` likewise)
    std::vector<ir::NodeId> longest;
    for (size_t k = n.op == "select" ? 1 : 0; k < n.args.size(); ++k) {
      const ir::NodeId a = n.args[k];
      std::vector<ir::NodeId> arm;
      sequence_items(f, a, arm, depth + 1);
      if (arm.size() > longest.size()) longest = std::move(arm);
    }
    out.insert(out.end(), longest.begin(), longest.end());
  } else {
    out.push_back(id);
  }
}

// Whether `fn` is one of the methods of class `mod` (its own, bound in __init__, or inherited).
bool is_method_of(const ir::Program& p, int32_t mod, int32_t fn) {
  for (int32_t c : ir::mro(p, mod))
    for (const auto& [name, id] : p.mod(c).methods)
      if (id == fn) return true;
  return false;
}

}  // namespace

std::vector<Root> find_roots(const ir::Program& p) {
  std::vector<Root> roots;
  std::vector<char> used(p.modules.size(), 0);
  std::function<void(const ir::Attr&)> mark = [&](const ir::Attr& a) {
    // (A model handed to a wrapper's constructor is still analysed as a model of its own.)
    if (a.kind == ir::AttrKind::Submodule && a.module_class >= 0 && !a.passed_in)
      used[static_cast<size_t>(a.module_class)] = 1;
    for (const auto& c : a.children) mark(c);
  };
  for (const auto& m : p.modules)
    for (const auto& a : m.attrs) mark(a);

  // Pre-stages: modules placed before something else in an nn.Sequential built by a function.
  std::set<int32_t> pre_stage;
  for (const auto& f : p.functions)
    for (const auto& n : f.nodes) {
      if (n.op != "layer" || n.name != "Sequential") continue;
      std::vector<ir::NodeId> stages;
      for (ir::NodeId a : n.args) sequence_items(f, a, stages, 0);
      for (size_t i = 0; i + 1 < stages.size(); ++i) {
        int32_t c = class_of(f, stages[i]);
        if (c >= 0) pre_stage.insert(c);
      }
    }

  // `model.__class__ = Variant`: an instance turned into another class runs that class's forward.
  std::map<int32_t, ir::Loc> class_swaps;
  for (const auto& f : p.functions)
    for (const auto& n : f.nodes)
      if (n.op == "setattr" && n.name == "__class__" && n.args.size() == 2 && f.node(n.args[1]).target_module >= 0)
        class_swaps.emplace(f.node(n.args[1]).target_module, n.loc);
  // `setattr(parent, name, Adapter(layer, cfg))` outside the adapter's class (a peft-style injection
  // walking `named_modules()`): the instance is spliced into another model there.
  for (const auto& f : p.functions)
    for (const auto& n : f.nodes) {
      // (`setattr(parent, child_name, v)` with a computed name stays a call)
      const bool dynamic = n.op == "call" && n.name == "setattr" && n.args.size() == 3;
      if (!dynamic && (n.op != "setattr" || n.args.size() != 2 || n.name == "__class__")) continue;
      if (ir::is_self(f, n.args[0])) continue;
      std::vector<ir::NodeId> made{n.args.back()};
      for (size_t i = 0; i < made.size() && i < 8; ++i) {
        const ir::Node& v = f.node(made[i]);
        if (v.op == "select" && v.args.size() == 3) made.insert(made.end(), v.args.begin() + 1, v.args.end());
        if (v.op == "phi") made.insert(made.end(), v.args.begin(), v.args.end());
        if ((v.op == "call" || v.op == "call_value") && v.target_module >= 0)
          class_swaps.emplace(v.target_module, n.loc);
      }
    }
  for (const auto& m : p.modules) {
    if (!m.is_nn_module || used[static_cast<size_t>(m.id)]) continue;
    int32_t fwd = find_method(p, m.id, "forward");
    if (fwd < 0) continue;
    Root r;
    if (auto sw = class_swaps.find(m.id); sw != class_swaps.end()) r.attached_at = sw->second;
    // (a model whose mixin wraps forward in its own __call__ is called through it)
    const int32_t call = instance_call(p, m.id);
    r.function = call >= 0 ? call : fwd;
    r.self_module = m.id;
    r.kind = pre_stage.count(m.id) ? RootKind::PreStage : RootKind::Forward;
    r.label = m.name;
    roots.push_back(r);
  }

  // Hooks and patched-in forwards.
  for (const auto& f : p.functions) {
    for (const auto& n : f.nodes) {
      Root r;
      r.registered_at = n.loc;
      if ((n.op == "register_forward_pre_hook" || n.op == "register_forward_hook") && n.args.size() >= 2) {
        r.function = function_of(f, n.args[1]);
        if (ir::NodeId pc = partial_call(f, n.args[1]); pc >= 0) {
          for (const auto& [k, v] : f.node(pc).kwargs) r.bound_keywords.push_back(k);
          // Positions bound ahead of the module and its inputs: the object each names, so that two
          // hooks bound to one shared dict (`partial(h, self._state)`) see each other's entries.
          const auto& bound = f.node(pc).args;
          for (size_t i = 1; i < bound.size(); ++i) {
            const ir::Node& b = f.node(bound[i]);
            const bool member = b.op == "attr" && b.args.size() == 1 && ir::is_self(f, b.args[0]) && f.owner_module >= 0;
            r.bound_cells.push_back(member ? fmt::format("{}.{}", f.owner_module, b.name)
                                           : fmt::format("{}:{}", f.id, bound[i]));
          }
        }
        r.kind = n.op == "register_forward_pre_hook" ? RootKind::PreHook : RootKind::ForwardHook;
        r.self_module = class_of(p, f, n.args[0]);
        r.installer = f.id;
        r.installed_on = n.args[0];
        // (a helper's parameter, `def _register(module, hook)`: the function its callers pass)
        if (r.function < 0 && f.node(n.args[1]).op == "param")
          r.function = argument_function(p, f.id, f.node(n.args[1]));
        if (r.function < 0) {
          // A bound method registered as a hook (self.method, monitor.method): (self, module, inputs[, output]).
          const ir::Node& h = f.node(n.args[1]);
          if (h.op == "attr" && !h.args.empty()) {
            const ir::Node& base = f.node(h.args[0]);
            int32_t cls = base.op == "param" && base.num && *base.num == 0 ? f.owner_module : class_of(f, h.args[0]);
            if (cls >= 0) {
              r.function = find_method(p, cls, h.name);
              r.self_module = cls;
              r.hook_object = r.function >= 0;
            }
          }
        }
        if (r.function < 0) {
          // A hook object: its class's __call__(self, module, ...).
          int32_t cls = class_of(f, n.args[1]);
          if (cls >= 0) {
            r.function = find_method(p, cls, "__call__");
            r.self_module = cls;
            r.hook_object = true;
          }
        }
      } else if ((n.op == "register_module_forward_hook" || n.op == "register_module_forward_pre_hook") &&
                 !n.args.empty()) {
        // torch.nn.modules.module.register_module_forward_hook(fn): every module of the process,
        // the models included, runs `fn` after (or before) its forward; its output is final unless
        // the hook singles out inner modules (global_hook_acts_inside).
        r.function = function_of(f, n.args[0]);
        r.kind = n.op == "register_module_forward_pre_hook" ? RootKind::PreHook : RootKind::ForwardHook;
        r.global_hook = true;
      } else if (n.op == "call" && n.name == "types.MethodType" && n.args.size() >= 2) {
        r.function = function_of(f, n.args[0]);
        r.kind = RootKind::PatchedForward;
        r.self_module = class_of(f, n.args[1]);
      } else if (n.op == "__get__" && n.args.size() >= 2) {
        r.function = function_of(f, n.args[0]);
        r.kind = RootKind::PatchedForward;
        r.self_module = class_of(f, n.args[1]);
      } else if (n.op == "call" && n.name.size() > 8 && n.name.compare(n.name.size() - 8, 8, ".__get__") == 0 &&
                 !n.args.empty()) {
        link::Entity e = link::resolve(p, n.name.substr(0, n.name.size() - 8), f.file);
        r.function = e.kind == link::Entity::Function ? e.id : -1;
        r.kind = RootKind::PatchedForward;
        r.self_module = class_of(f, n.args[0]);
      } else if (n.op == "setattr" && n.name == "forward" && n.args.size() == 2) {
        r.function = function_of(f, n.args[1]);
        r.kind = RootKind::PatchedForward;
        r.self_module = class_of(f, n.args[0]);
        // Stored on an instance (`model.forward = fn`) a function is not bound (no `self`); stored
        // on a class (`Net.forward = fn`, a metaclass's `cls.forward = fn`) it is a method.
        const ir::Node& recv = f.node(n.args[0]);
        int32_t instance = ir::instance_class(p, f, n.args[0]);
        if (instance < 0 && recv.op == "param") instance = argument_class(p, f.id, recv);
        r.unbound = instance >= 0;
        if (r.self_module < 0) r.self_module = instance;
      } else {
        continue;
      }
      if (r.function < 0) continue;
      // Who calls the installing function (a model's constructor calling `install_rules()`).
      if (f.owner_module < 0 || f.name != "__init__")
        for (const auto& caller : p.functions)
          for (const auto& c : caller.nodes)
            if (((c.op == "call" || c.op == "call_value") && c.target_function == f.id) ||
                // model.apply(install_guards): the model runs it on each of its modules
                (c.op == "apply" && c.args.size() == 2 && c.args[1] >= 0 && caller.node(c.args[1]).target_function == f.id))
              if (r.installed_via.size() < 4) r.installed_via.push_back(c.loc);
      for (int32_t g = f.id, guard = 0; g >= 0 && guard < 16 && !r.attached_at.valid(); g = p.fn(g).parent, ++guard)
        r.attached_at = p.fn(g).bound_at;
      if (r.kind == RootKind::ForwardHook) {
        r.output_feeds_learned =
            r.global_hook ? global_hook_acts_inside(p, r.function) : hooked_output_feeds_learned(p, f, n.args[0]);
        // `def arm(layer): layer.register_forward_hook(h)` called as `arm(self.inner)`: the layers
        // its callers pass
        if (!r.global_hook && !r.output_feeds_learned && !n.args.empty() && n.args[0] >= 0 &&
            f.node(n.args[0]).op == "param")
          call_site_arguments(p, f.id, f.node(n.args[0]), [&](const ir::Function& caller, ir::NodeId arg) {
            if (arg != ir::kNoNode && hooked_output_feeds_learned(p, caller, arg)) r.output_feeds_learned = true;
          });
      }
      if (r.kind == RootKind::PreHook && !r.global_hook && !n.args.empty())
        r.input_learned = hooked_input_is_learned(p, f, n.args[0]);
      const ir::Function& target = p.fn(r.function);
      // A patched forward of a module's own method is already covered by that module's root.
      if (r.kind == RootKind::PatchedForward && target.owner_module >= 0 && target.name == "forward") continue;
      // So is a function the linker bound as a method of the instance's class (in its __init__).
      if (r.kind == RootKind::PatchedForward && is_method_of(p, r.self_module, r.function)) continue;
      r.label = target.qualname;
      roots.push_back(r);
    }
  }
  // Closure state shared between function hooks: values a pre-hook stores for the others.
  std::vector<Root::Stash> stashes;
  for (const auto& pre : roots)
    if (pre.kind == RootKind::PreHook && !pre.hook_object)
      for (auto& s : closure_stashes(p, pre.function, pre.bound_cells)) stashes.push_back(std::move(s));
  for (const auto& pre : roots)
    if (pre.kind == RootKind::PreHook && !pre.hook_object)
      for (auto& s : attribute_stashes(p, pre.function, pre.self_module)) stashes.push_back(std::move(s));
  for (const auto& pre : roots)
    if (pre.kind == RootKind::PreHook && !pre.input_learned && !pre.global_hook && p.fn(pre.function).owner_module >= 0)
      for (auto& s : member_stashes(p, pre.function, pre.self_module)) stashes.push_back(std::move(s));
  for (auto& r : roots)
    for (const auto& s : stashes)
      if (s.writer != r.function) r.stashes.push_back(s);
  // State shared between hooks of one object: attributes a pre-hook fills with the module's input.
  for (const auto& pre : roots) {
    if (pre.kind != RootKind::PreHook || !pre.hook_object) continue;
    const ir::Function& f = p.fn(pre.function);
    if (f.param_nodes.size() < 3) continue;
    for (const auto& n : f.nodes) {
      if (n.op != "setattr" || n.args.size() != 2) continue;
      const ir::Node& obj = f.node(n.args[0]);
      if (obj.op != "param" || !obj.num || *obj.num != 0) continue;
      for (auto& r : roots)
        if (r.self_module == pre.self_module && r.hook_object) r.input_attrs.push_back(n.name);
    }
  }
  return roots;
}

}  // namespace archscan::flow
