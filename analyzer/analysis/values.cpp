#include "analysis/values.h"

#include <cstring>

#include "ir/ops.h"
#include "link/modules.h"

namespace archscan::values {

AttrRef self_attr(const ir::Program& p, const ir::Function& f, ir::NodeId id) {
  AttrRef r;
  std::string path;
  ir::NodeId cur = id;
  for (int guard = 0; cur >= 0 && guard < 32; ++guard) {
    const ir::Node& n = f.node(cur);
    if (n.op == "attr" && !n.args.empty()) {
      path = n.name + (path.empty() ? "" : "." + path);
      cur = n.args[0];
    } else if (n.op == "getitem" && n.args.size() == 2 && f.node(n.args[0]).op == "attr") {
      const ir::Node& idx = f.node(n.args[1]);
      std::string key = idx.num ? std::to_string(static_cast<long long>(*idx.num)) : "*";
      path = key + (path.empty() ? "" : "." + path);
      cur = n.args[0];
    } else {
      break;
    }
  }
  if (!is_self(f, cur) || path.empty()) return r;
  r.module = f.owner_module;
  r.path = path;
  r.attr = ir::module_attr(p, f.owner_module, path);
  return r;
}

bool is_passthrough(const ir::Node& n) {
  return ir::is_shape_op(n.op) || n.op == "requires_grad" || n.op == "data" || n.op == "T";
}

ir::NodeId operand(const ir::Node& n, size_t pos, const char* keyword) {
  for (const auto& [k, v] : n.kwargs)
    if (keyword && k == keyword) return v;
  return pos < n.args.size() ? n.args[pos] : ir::kNoNode;
}

Origin origin(const ir::Program& p, const ir::Function& f, ir::NodeId id) {
  Origin o;
  for (int guard = 0; id >= 0 && guard < 64; ++guard) {
    const ir::Node& n = f.node(id);
    if (n.op == "attr") {
      AttrRef a = self_attr(p, f, id);
      if (a.attr) {
        o.kind = Origin::Attr;
        o.node = id;
        o.attr = a;
        return o;
      }
      if (n.name == "data" || n.name == "T" || n.name == "weight" || n.name == "bias") {
        // x.data, w.T, self.conv.weight -> keep looking at the owner.
        AttrRef owner = self_attr(p, f, id);
        if (owner.module >= 0) {
          o.kind = Origin::Attr;
          o.node = id;
          o.attr = owner;
          return o;
        }
      }
      return o;
    }
    if (n.op == "param") {
      o.kind = Origin::Param;
      o.node = id;
      return o;
    }
    if (n.num) {
      o.kind = Origin::Constant;
      o.node = id;
      return o;
    }
    if (ir::is_tensor_factory(n.op) || n.op == "from_numpy" || n.op == "frombuffer") {
      o.kind = Origin::Factory;
      o.node = id;
      return o;
    }
    if (n.args.empty()) return o;
    if (is_passthrough(n) || n.has(ir::kInPlace) || n.op == "phi" || n.op == "getitem" || n.op == "setitem") {
      id = n.args[0];
      continue;
    }
    // Scaling by a constant keeps the origin: w * 255, 1 - 255 * n.
    if ((n.op == "mul" || n.op == "div" || n.op == "add" || n.op == "sub" || n.op == "neg") && n.args.size() <= 2) {
      ir::NodeId next = ir::kNoNode;
      for (ir::NodeId a : n.args)
        if (!f.node(a).num) next = a;
      if (next == ir::kNoNode) return o;
      id = next;
      continue;
    }
    return o;
  }
  return o;
}

}  // namespace archscan::values
