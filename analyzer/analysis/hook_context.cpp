#include "analysis/hook_context.h"

#include <set>

#include "ir/ops.h"
#include "link/linker.h"
#include "link/modules.h"

namespace archscan::flow {

std::vector<Root::Stash> closure_stashes(const ir::Program& p, int32_t prehook_function,
                                         const std::vector<std::string>& bound_cells) {
  std::vector<Root::Stash> out;
  const ir::Function& f = p.fn(prehook_function);
  for (const auto& n : f.nodes) {
    bool item = n.op == "setitem" && n.args.size() == 3;
    bool field = n.op == "setattr" && n.args.size() == 2;
    if (!item && !field) continue;
    const ir::Node& cell = f.node(n.args[0]);
    const std::string* bound = cell.op == "param" && cell.num && *cell.num >= 0 && *cell.num < bound_cells.size()
                                   ? &bound_cells[static_cast<size_t>(*cell.num)]
                                   : nullptr;
    if (bound ? bound->empty() : cell.op != "free" || cell.target_function < 0) continue;
    Root::Stash s;
    s.writer = prehook_function;
    s.value = n.args.back();
    s.cell_owner = bound ? -1 : cell.target_function;
    s.cell = bound ? *bound : cell.name;
    s.bound = bound_cells.size();
    if (item) {
      const ir::Node& key = f.node(n.args[1]);
      if (key.op != "const") continue;  // a computed key: which reader matches is unknown
      s.key = key.name;
    } else {
      s.key = n.name;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Root::Stash> attribute_stashes(const ir::Program& p, int32_t prehook_function, int32_t hooked) {
  std::vector<Root::Stash> out;
  const ir::Function& f = p.fn(prehook_function);
  if (hooked < 0 || f.param_nodes.empty()) return out;
  for (const auto& n : f.nodes) {
    // module.ctx["k"] = ...: an entry of a mapping attribute (the attribute is then the member)
    const bool entry = n.op == "setitem" && n.args.size() == 3 && f.node(n.args[1]).op == "const" &&
                       f.node(n.args[0]).op == "attr" && f.node(n.args[0]).args.size() == 1;
    if (!entry && (n.op != "setattr" || n.args.size() != 2)) continue;
    // model.layer2.gate: the attribute path from the hook's module argument, class by class
    std::vector<std::string> path;
    ir::NodeId id = entry ? f.node(n.args[0]).args[0] : n.args[0];
    for (int guard = 0; id >= 0 && guard < 8 && f.node(id).op == "attr" && f.node(id).args.size() == 1; ++guard) {
      path.insert(path.begin(), f.node(id).name);
      id = f.node(id).args[0];
    }
    if (id != f.param_nodes[0]) continue;
    int32_t cls = hooked;
    for (const auto& name : path) {
      const ir::Attr* a = cls >= 0 ? ir::module_attr(p, cls, name) : nullptr;
      cls = a && a->kind == ir::AttrKind::Submodule ? a->module_class : -1;
    }
    if (cls < 0) continue;
    Root::Stash s;
    s.writer = prehook_function;
    s.value = n.args.back();
    s.key = entry ? f.node(n.args[1]).name : n.name;
    s.member = entry ? f.node(n.args[0]).name : "";
    s.module = cls;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Root::Stash> member_stashes(const ir::Program& p, int32_t prehook_method, int32_t owner) {
  std::vector<Root::Stash> out;
  const ir::Function& f = p.fn(prehook_method);
  if (owner < 0 || f.param_nodes.size() < 3) return out;
  for (const auto& n : f.nodes) {
    if (n.op != "setitem" || n.args.size() != 3) continue;
    const ir::Node& cell = f.node(n.args[0]);
    const ir::Node& key = f.node(n.args[1]);
    if (cell.op != "attr" || cell.args.size() != 1 || cell.args[0] != f.param_nodes[0] || key.op != "const") continue;
    Root::Stash s;
    s.writer = prehook_method;
    s.value = n.args[2];
    s.bound = 1;  // (self, module, args): the object and the module are not the input
    s.module = owner;
    s.member = cell.name;
    s.key = key.name;
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

// The first attribute name on the path from a module value to the hooked object
// (`model.h[-1]` -> "h", `model.layer4[1].conv2` -> "layer4"); empty for the model itself.
std::string top_attribute(const ir::Function& f, ir::NodeId id, ir::NodeId& base) {
  std::string top;
  for (int guard = 0; id >= 0 && guard < 16; ++guard) {
    const ir::Node& n = f.node(id);
    if (n.op == "attr" && !n.args.empty()) {
      top = n.name.substr(0, n.name.find('.'));
      id = n.args[0];
    } else if (n.op == "getitem" && !n.args.empty()) {
      id = n.args[0];
    } else {
      break;
    }
  }
  base = id;
  return top;
}

// Whether a value reading `self.<name>` in `fwd` reaches a learned op (a layer or submodule call).
bool applies_weights(const ir::Function& f) {
  for (const auto& n : f.nodes)
    if ((n.flags & ir::kLearned) || n.op == "module_call") return true;
  return false;
}

bool attribute_feeds_learned(const ir::Program& p, const ir::Function& fwd, const std::string& name) {
  std::vector<std::vector<ir::NodeId>> users(fwd.nodes.size());
  std::vector<ir::NodeId> work;
  for (const auto& n : fwd.nodes) {
    for (ir::NodeId a : n.args)
      if (a >= 0) users[static_cast<size_t>(a)].push_back(n.id);
    bool reads = n.op == "attr" && !n.args.empty() && fwd.node(n.args[0]).op == "param" && fwd.node(n.args[0]).num &&
                 *fwd.node(n.args[0]).num == 0 && n.name.substr(0, n.name.find('.')) == name;
    // A module call lowered to its layer op names the attribute it calls.
    bool calls = (n.flags & ir::kLearned) && n.name.substr(0, n.name.find('.')) == name;
    if (reads || calls) work.push_back(n.id);
  }
  std::set<ir::NodeId> start(work.begin(), work.end()), seen;
  while (!work.empty()) {
    ir::NodeId cur = work.back();
    work.pop_back();
    if (!seen.insert(cur).second) continue;
    const ir::Node& n = fwd.node(cur);
    if (!start.count(cur) && ((n.flags & ir::kLearned) || n.op == "module_call")) return true;
    // self.forward_head(h): a helper method that applies layers.
    if (!start.count(cur) && n.op == "call" && n.target_function >= 0 && applies_weights(p.fn(n.target_function)))
      return true;
    for (ir::NodeId u : users[static_cast<size_t>(cur)])
      if (fwd.node(u).op != "branch") work.push_back(u);
  }
  return false;
}

// Whether the layer `self.<name>` is called in `fwd` on a value computed by other learned layers
// (`self.layer3(self.layer2(h))`), not on the raw input (`self.stem(x)`).
bool attribute_reads_learned(const ir::Function& fwd, const std::string& name) {
  // (a call of a weight-free submodule, a fixed log-mel front-end, is not a learned layer)
  auto learned = [](const ir::Node& n) { return (n.flags & ir::kLearned) != 0; };
  for (const auto& n : fwd.nodes) {
    if (!learned(n) || n.args.empty() || n.name.substr(0, n.name.find('.')) != name) continue;
    std::vector<ir::NodeId> work{n.args[0]};
    std::set<ir::NodeId> seen;
    while (!work.empty() && seen.size() < 256) {
      ir::NodeId cur = work.back();
      work.pop_back();
      if (cur < 0 || !seen.insert(cur).second) continue;
      if (learned(fwd.node(cur))) return true;
      work.insert(work.end(), fwd.node(cur).args.begin(), fwd.node(cur).args.end());
    }
  }
  return false;
}

// The modules a hooked object's top attribute belongs to (`model.layer3` -> the class owning
// `layer3`), and whether `test` holds for one of their forwards.
template <typename Test>
bool owner_forward(const ir::Program& p, const ir::Function& f, ir::NodeId obj, Test test) {
  ir::NodeId base = -1;
  std::string top = top_attribute(f, obj, base);
  if (top.empty()) return false;
  auto holds = [&](const ir::Module& m) {
    int32_t fwd = ir::find_method(p, m.id, "forward");
    return fwd >= 0 && test(p.fn(fwd), top);
  };
  if (base >= 0 && f.node(base).target_module >= 0)
    return holds(p.modules[static_cast<size_t>(f.node(base).target_module)]);
  // The model's class is often unknown here (a builder's parameter): the modules of this file that
  // own an attribute of that name, else those of the whole tree.
  for (bool same_file : {true, false}) {
    bool any_owner = false;
    for (const auto& m : p.modules) {
      if (!m.is_nn_module || (same_file && m.file != f.file) || !ir::module_attr(p, m.id, top)) continue;
      any_owner = true;
      if (holds(m)) return true;
    }
    if (any_owner) return false;
  }
  return false;
}

}  // namespace

bool global_hook_acts_inside(const ir::Program& p, int32_t hook_function) {
  if (hook_function < 0) return false;
  const ir::Function& hook = p.fn(hook_function);
  if (hook.param_nodes.empty()) return false;
  const ir::NodeId module = hook.param_nodes[0];
  std::set<std::string> marks;
  for (const ir::Node& n : hook.nodes) {
    if (n.args.empty() || n.args[0] != module) continue;
    if (n.op == "attr") marks.insert(n.name);
    if (n.op == "call" && n.name.ends_with("getattr") && n.args.size() >= 2 && hook.node(n.args[1]).op == "const" &&
        !hook.node(n.args[1]).num)
      marks.insert(hook.node(n.args[1]).name);
  }
  for (const ir::Function& f : p.functions)
    for (const ir::Node& n : f.nodes)
      if (n.op == "setattr" && n.args.size() == 2 && marks.count(n.name) && !ir::is_self(f, n.args[0])) return true;
  return false;
}

bool hooked_output_feeds_learned(const ir::Program& p, const ir::Function& f, ir::NodeId obj) {
  return owner_forward(p, f, obj, [&](const ir::Function& fwd, const std::string& top) {
    return attribute_feeds_learned(p, fwd, top);
  });
}

bool hooked_input_is_learned(const ir::Program& p, const ir::Function& f, ir::NodeId obj) {
  return owner_forward(p, f, obj, attribute_reads_learned);
}

}  // namespace archscan::flow
