// Expression lowering: every expression becomes a node; tensor calls are normalised to one op name.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "frontend/python/py_lower.h"
#include "frontend/python/ts_util.h"
#include "ir/fold.h"
#include "ir/ops.h"

namespace archscan::frontend::python {

using ir::kNoNode;
using ir::NodeId;

namespace {

// Dotted prefixes whose calls are tensor ops named by their last component.
bool is_tensor_namespace(const std::string& d) {
  static const char* prefixes[] = {"torch.nn.functional.", "torch.special.", "torch.linalg.", "torch.fft.",
                                   "torch.Tensor.",        "torch.",         "numpy.",        "math."};
  for (const char* p : prefixes)
    if (d.rfind(p, 0) == 0) return true;
  return false;
}

std::string last_component(const std::string& d) {
  auto pos = d.rfind('.');
  return pos == std::string::npos ? d : d.substr(pos + 1);
}

}  // namespace

NodeId FunctionLowerer::lower_expr(TSNode n) {
  if (ts_node_is_null(n)) return kNoNode;
  if (!check_depth(n)) return emit("unknown", {}, n);
  ++depth_;
  NodeId r = lower_expr_inner(n);
  --depth_;
  return r;
}

bool FunctionLowerer::check_depth(TSNode n) {
  if (depth_ < fc_.opts.max_depth) return true;
  if (!fc_.too_deep) {
    fc_.too_deep = true;
    fc_.too_deep_loc = fc_.loc(n);
  }
  return false;
}

NodeId FunctionLowerer::lower_expr_inner(TSNode n) {
  const std::string_view t = node_type(n);
  if (t == "identifier") return lower_identifier(n);
  if (t == "attribute") return lower_attribute(n);
  if (t == "call") return lower_call(n);
  if (t == "integer" || t == "float") return lower_number(n);
  if (t == "true") return constant(1, n, "True");
  if (t == "false") return constant(0, n, "False");
  if (t == "none") return emit("const", {}, n, "None");
  if (t == "ellipsis") return emit("const", {}, n, "...");
  if (t == "string" || t == "concatenated_string") return lower_string(n);
  if (t == "parenthesized_expression") return lower_expr(named_child(n, 0));
  if (t == "binary_operator") return lower_binary(n, fc_.text(ts_node_child_by_field_name(n, "operator", 8)));
  if (t == "boolean_operator") return lower_binary(n, fc_.text(ts_node_child_by_field_name(n, "operator", 8)));
  if (t == "unary_operator" || t == "not_operator") {
    TSNode arg = ts_node_child_by_field_name(n, "argument", 8);
    NodeId a = lower_expr(arg);
    std::string_view tok = t == "not_operator" ? "not" : fc_.text(ts_node_child_by_field_name(n, "operator", 8));
    NodeId r = emit(ir::unary_operator_op(tok), {a}, n);
    fold(fn().node(r));
    return r;
  }
  if (t == "comparison_operator") return lower_comparison(n);
  if (t == "subscript") return lower_subscript(n);
  if (t == "tuple" || t == "expression_list" || t == "pattern_list" || t == "tuple_pattern")
    return lower_collection(n, "tuple");
  if (t == "list" || t == "list_pattern") return lower_collection(n, "list");
  if (t == "set") return lower_collection(n, "set");
  if (t == "dictionary") return lower_collection(n, "dict");
  if (t == "list_comprehension" || t == "set_comprehension" || t == "generator_expression" ||
      t == "dictionary_comprehension")
    return lower_comprehension(n);
  if (t == "conditional_expression") {
    NodeId a = lower_expr(named_child(n, 0));
    NodeId c = lower_expr(named_child(n, 1));
    NodeId b = lower_expr(named_child(n, 2));
    return emit("select", {c, a, b}, n);
  }
  if (t == "lambda") return lower_lambda(n);
  if (t == "named_expression") {
    NodeId v = lower_expr(ts_node_child_by_field_name(n, "value", 5));
    assign(ts_node_child_by_field_name(n, "name", 4), v, n);
    return v;
  }
  if (t == "await") return lower_expr(named_child(n, 0));
  if (t == "list_splat" || t == "dictionary_splat" || t == "list_splat_pattern")  // `**m` is named "**"
    return emit("starred", {lower_expr(named_child(n, 0))}, n, t == "dictionary_splat" ? "**" : "");
  if (t == "slice") {
    // a:b:c -> slice(a, b, c); missing parts are None constants.
    std::vector<NodeId> parts;
    bool expect_value = true;
    uint32_t cnt = ts_node_child_count(n);
    for (uint32_t i = 0; i < cnt; ++i) {
      TSNode c = ts_node_child(n, i);
      if (!ts_node_is_named(c)) {
        if (expect_value) parts.push_back(emit("const", {}, n, "None"));
        expect_value = true;
        continue;
      }
      parts.push_back(lower_expr(c));
      expect_value = false;
    }
    if (expect_value) parts.push_back(emit("const", {}, n, "None"));
    return emit("slice", std::move(parts), n);
  }
  if (t == "keyword_argument") return lower_expr(ts_node_child_by_field_name(n, "value", 5));
  if (t == "yield") {
    NodeId v = lower_expr(named_child(n, 0));
    // (`yield from xs` yields each item of xs: name "from")
    bool from = false;
    for (uint32_t i = 0, c = ts_node_child_count(n); i < c; ++i)
      from |= std::string_view(ts_node_type(ts_node_child(n, i))) == "from";
    NodeId y = emit("yield", {v}, n, from ? "from" : "");
    fn().returns.push_back(y);
    return y;
  }
  if (t == "type" || t == "comment") return kNoNode;
  // Unknown expression kinds (including ERROR nodes): keep their operands visible.
  std::vector<NodeId> args;
  for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
    NodeId a = lower_expr(ts_node_named_child(n, i));
    if (a != kNoNode) args.push_back(a);
  }
  return emit("unknown", std::move(args), n, std::string(t));
}

NodeId FunctionLowerer::lower_identifier(TSNode n) {
  fc_.note_identifier(n);
  std::string name(fc_.text(n));
  NodeId v = lookup(name);
  if (v != kNoNode) return v;
  if (bound_in_parents(name)) {
    // A closure read: remember the enclosing function's binding.
    NodeId id = emit("free", {}, n, name);
    for (const FunctionLowerer* p = parent_; p; p = p->parent_) {
      const std::string& pn = p->fc_.prog.functions[static_cast<size_t>(p->fn_id_)].name;
      auto it = p->env_.find(name);
      if (pn == "<module>" || pn == "<class>" || it == p->env_.end()) continue;
      fn().node(id).target_function = p->fn_id_;
      fn().node(id).outer = it->second;
      break;
    }
    return id;
  }
  return emit("global", {}, n, fc_.resolve_global(name));
}

std::string FunctionLowerer::dotted_of(NodeId id) const {
  if (id == kNoNode) return {};
  const ir::Node& n = const_cast<FunctionLowerer*>(this)->fn().node(id);
  if (n.op == "global") return n.name;
  return {};
}

NodeId FunctionLowerer::lower_attribute(TSNode n) {
  TSNode obj = ts_node_child_by_field_name(n, "object", 6);
  TSNode attr = ts_node_child_by_field_name(n, "attribute", 9);
  fc_.note_identifier(attr);
  NodeId o = lower_expr(obj);
  std::string a(fc_.text(attr));
  std::string d = dotted_of(o);
  if (!d.empty()) {
    // torch.nn.functional -> one global node with the whole dotted path.
    ir::Node& g = fn().node(o);
    if (fn().nodes.size() == static_cast<size_t>(o) + 1) {
      g.name = d + "." + a;
      g.loc = fc_.loc(n);
      return o;
    }
    return emit("global", {}, n, d + "." + a);
  }
  return emit("attr", {o}, n, a);
}

FunctionLowerer::Args FunctionLowerer::lower_arguments(TSNode arglist) {
  Args out;
  if (ts_node_is_null(arglist)) return out;
  if (std::string_view(node_type(arglist)) == "generator_expression") {
    out.args.push_back(lower_expr(arglist));
    return out;
  }
  for_each_named_child(arglist, [&](TSNode a) {
    std::string_view at = node_type(a);
    if (at == "comment") return;
    if (at == "keyword_argument") {
      TSNode name = ts_node_child_by_field_name(a, "name", 4);
      fc_.note_identifier(name);
      NodeId v = lower_expr(ts_node_child_by_field_name(a, "value", 5));
      if (v != kNoNode) out.kwargs.emplace_back(std::string(fc_.text(name)), v);
    } else {
      NodeId v = lower_expr(a);
      if (v != kNoNode) out.args.push_back(v);
    }
  });
  return out;
}

NodeId FunctionLowerer::emit_call(std::string op, std::vector<NodeId> lead, TSNode arglist, TSNode at, std::string name,
                                  uint32_t flags) {
  Args a = lower_arguments(arglist);
  lead.insert(lead.end(), a.args.begin(), a.args.end());
  NodeId id = emit(std::move(op), std::move(lead), at, std::move(name));
  ir::Node& n = fn().node(id);
  n.kwargs = std::move(a.kwargs);
  n.flags |= flags;
  fold(n);
  return id;
}

// self.a.b[0] chain rooted at `self`: its dotted path, or "" when not rooted at self.
std::string FunctionLowerer::self_path(NodeId id) {
  std::string path;
  NodeId base = id;
  while (true) {
    const ir::Node& b = fn().node(base);
    if (b.op == "attr" && !b.args.empty()) {
      path = b.name + (path.empty() ? "" : "." + path);
      base = b.args[0];
    } else if (b.op == "getitem" && b.args.size() == 2) {
      const ir::Node& idx = fn().node(b.args[1]);
      // (a parameter's `num` is its position, not a value: `self.stages[i]` with `i` passed in)
      std::string key = idx.num && idx.op != "param" ? std::to_string(static_cast<long long>(*idx.num))
                                                      : (idx.op == "const" ? idx.name : "*");
      path = key + (path.empty() ? "" : "." + path);
      base = b.args[0];
    } else {
      break;
    }
  }
  return is_self_node(base) && !path.empty() ? path : std::string();
}

bool FunctionLowerer::is_self_node(NodeId id) {
  if (id == kNoNode || owner_module_ < 0) return false;
  const ir::Node& b = fn().node(id);
  return b.op == "param" && b.num && *b.num == 0;
}

// `operator.mul(a, b)` is `a * b`: the operator module's functions as the ops they stand for
// (`iadd` and friends in place), or "" when the name is not one of them.
static std::string operator_module_op(const std::string& name, bool* in_place) {
  static const std::unordered_map<std::string, const char*> ops = {{"add", "add"},
                                                                   {"sub", "sub"},
                                                                   {"mul", "mul"},
                                                                   {"truediv", "div"},
                                                                   {"floordiv", "floordiv"},
                                                                   {"mod", "remainder"},
                                                                   {"pow", "pow"},
                                                                   {"matmul", "matmul"},
                                                                   {"neg", "neg"},
                                                                   {"pos", "pos"},
                                                                   {"abs", "abs"},
                                                                   {"and_", "logical_and"},
                                                                   {"or_", "logical_or"},
                                                                   {"xor", "logical_xor"},
                                                                   {"not_", "not"},
                                                                   {"invert", "logical_not"},
                                                                   {"inv", "logical_not"},
                                                                   {"eq", "eq"},
                                                                   {"ne", "ne"},
                                                                   {"lt", "lt"},
                                                                   {"le", "le"},
                                                                   {"gt", "gt"},
                                                                   {"ge", "ge"},
                                                                   {"getitem", "getitem"},
                                                                   {"setitem", "setitem"},
                                                                   {"lshift", "lshift"},
                                                                   {"rshift", "rshift"}};
  *in_place = false;
  std::string key = name;
  if (key.size() > 1 && key[0] == 'i' && !ops.count(key) && ops.count(key.substr(1))) {
    key = key.substr(1);  // iadd, imul, itruediv ...
    *in_place = true;
  }
  auto it = ops.find(key);
  return it == ops.end() ? std::string() : std::string(it->second);
}

// A call of a namespace member (torch.exp, F.relu, nn.Conv2d, pkg.helpers.make).
NodeId FunctionLowerer::lower_named_call(const std::string& full, TSNode arglist, TSNode n) {
  std::string last = last_component(full);
  if (full.rfind("operator.", 0) == 0 && full.find('.', 9) == std::string::npos) {
    bool ip = false;
    std::string op = operator_module_op(last, &ip);
    if (!op.empty()) return emit_call(op, {}, arglist, n, full, ip ? ir::kInPlace : 0u);
  }
  bool torch = full.rfind("torch.", 0) == 0;
  if (torch && ir::torch_layer(last)) return emit_call("layer", {}, arglist, n, last);
  if (torch && last == "Parameter") return emit_call("parameter", {}, arglist, n, full);
  if (is_tensor_namespace(full)) {
    bool ip = false;
    std::string op = ir::canonical_op(last, &ip);
    return emit_call(op, {}, arglist, n, full, ip ? ir::kInPlace : 0u);
  }
  NodeId id = emit_call("call", {}, arglist, n, full);
  if (full == "functools.reduce") {
    // functools.reduce(operator.and_, tests[, init]) folds the op over the elements: the op applied
    // to elements of the sequence (and the initial value).
    ir::Node& r = fn().node(id);
    const ir::Node& callee = r.args.empty() ? r : fn().node(r.args[0]);
    bool ip = false;
    std::string op = callee.op == "global" && callee.name.rfind("operator.", 0) == 0
                         ? operator_module_op(callee.name.substr(9), &ip)
                         : std::string();
    if (!op.empty() && r.args.size() >= 2) {
      r.op = op;
      std::vector<NodeId> folded{r.args[1], r.args[1]};
      if (r.args.size() >= 3) folded[1] = r.args[2];
      r.args = std::move(folded);
    }
  }
  return id;
}

NodeId FunctionLowerer::lower_call(TSNode n) {
  TSNode callee = ts_node_child_by_field_name(n, "function", 8);
  TSNode arglist = ts_node_child_by_field_name(n, "arguments", 9);
  std::string_view ct = node_type(callee);

  if (ct == "attribute") {
    TSNode obj = ts_node_child_by_field_name(callee, "object", 6);
    TSNode attr = ts_node_child_by_field_name(callee, "attribute", 9);
    fc_.note_identifier(attr);
    std::string meth(fc_.text(attr));
    NodeId recv = lower_expr(obj);
    std::string d = dotted_of(recv);
    if (!d.empty()) {
      drop_if_last(recv);  // the namespace itself is not a value
      return lower_named_call(d + "." + meth, arglist, n);
    }
    if (fn().node(recv).op == "call" && fn().node(recv).name == "super" && owner_module_ >= 0) {
      // super().forward(x): the base class's method, on self.
      drop_if_last(recv);
      NodeId self_id = lookup(fn().params.empty() ? std::string("self") : fn().params[0]);
      return emit_call("call", {self_id}, arglist, n, "super." + meth);
    }
    if (is_self_node(recv)) {
      // self.method(...) of the class -> call; self.register_buffer(...) -> the nn.Module op on self;
      // self.sub(...) -> submodule call.
      if (class_methods_ && class_methods_->count(meth)) return emit_call("call", {recv}, arglist, n, "self." + meth);
      if (ir::is_module_api(meth)) {
        bool ip = false;
        std::string op = ir::canonical_op(meth, &ip);
        return emit_call(op, {recv}, arglist, n, meth, ip ? ir::kInPlace : 0u);
      }
      NodeId id = emit_call("module_call", {}, arglist, n, meth);
      fn().node(id).kwargs.emplace_back("self", recv);
      return id;
    }
    std::string path = self_path(recv);
    bool method_in_place = false;
    std::string method_op = ir::canonical_op(meth, &method_in_place);
    if (!path.empty() && (method_in_place || ir::is_module_api(meth))) {
      // self.w.mul_(255), self.conv.weight.data.fill_(0), self.head.register_forward_hook(h): a method
      // of the attribute's value (an edit of a tensor attribute), not a submodule call.
      return emit_call(method_op, {recv}, arglist, n, meth, method_in_place ? ir::kInPlace : 0u);
    }
    if (!path.empty()) {
      // self.layers[0](x) is lowered through the subscript; self.head.fc(x) / self.block.forward(x).
      if (meth != "forward" && meth != "__call__") path += "." + meth;
      NodeId id = emit_call("module_call", {}, arglist, n, path);
      fn().node(id).kwargs.emplace_back("self", recv);
      return id;
    }
    bool ip = false;
    std::string op = ir::canonical_op(meth, &ip);
    NodeId id = emit_call(op, {recv}, arglist, n, meth, ip ? ir::kInPlace : 0u);
    // x.relu_() rebinds x; self.w.mul_(255) edits an attribute (seen by the module builder);
    // d.update({...}) / xs.append(v) is the container's next version (what it adds is read later).
    if ((ip || makes_next_version(meth)) && std::string_view(node_type(obj)) == "identifier")
      env_[std::string(fc_.text(obj))] = id;
    return id;
  }

  NodeId cv = lower_expr(callee);
  const ir::Node& c = fn().node(cv);
  if (c.op == "global") {
    std::string full = c.name;
    drop_if_last(cv);
    return lower_named_call(full, arglist, n);
  }
  std::string path = self_path(cv);
  if (!path.empty()) {
    NodeId id = emit_call("module_call", {}, arglist, n, path);
    fn().node(id).kwargs.emplace_back("self", cv);
    return id;
  }
  return emit_call("call_value", {cv}, arglist, n, {});
}

void FunctionLowerer::drop_if_last(NodeId id) {
  if (static_cast<size_t>(id) + 1 == fn().nodes.size()) fn().nodes.pop_back();
}

NodeId FunctionLowerer::lower_binary(TSNode n, std::string_view tok) {
  NodeId l = lower_expr(ts_node_child_by_field_name(n, "left", 4));
  NodeId r = lower_expr(ts_node_child_by_field_name(n, "right", 5));
  NodeId id = emit(ir::binary_operator_op(tok), {l, r}, n);
  fold(fn().node(id));
  return id;
}

NodeId FunctionLowerer::lower_comparison(TSNode n) {
  // a < b < c -> and(lt(a, b), lt(b, c)); operators are the anonymous children between operands.
  std::vector<NodeId> operands;
  std::vector<std::string> ops;
  uint32_t cnt = ts_node_child_count(n);
  std::string pending;
  for (uint32_t i = 0; i < cnt; ++i) {
    TSNode c = ts_node_child(n, i);
    if (ts_node_is_named(c) && std::string_view(node_type(c)) != "comment") {
      if (!operands.empty()) ops.push_back(pending);
      operands.push_back(lower_expr(c));
      pending.clear();
    } else if (!ts_node_is_named(c)) {
      pending += pending.empty() ? std::string(fc_.text(c)) : " " + std::string(fc_.text(c));
    }
  }
  NodeId result = kNoNode;
  for (size_t i = 0; i + 1 < operands.size() && i < ops.size(); ++i) {
    NodeId cmp = emit(ir::binary_operator_op(ops[i]), {operands[i], operands[i + 1]}, n);
    fold(fn().node(cmp));
    result = result == kNoNode ? cmp : emit("and", {result, cmp}, n);
  }
  return result == kNoNode ? (operands.empty() ? emit("unknown", {}, n) : operands[0]) : result;
}

NodeId FunctionLowerer::lower_subscript(TSNode n) {
  NodeId v = lower_expr(ts_node_child_by_field_name(n, "value", 5));
  std::vector<NodeId> idx;
  for (uint32_t i = 0, c = ts_node_child_count(n); i < c; ++i) {
    const char* f = ts_node_field_name_for_child(n, i);
    if (f && std::strcmp(f, "subscript") == 0) idx.push_back(lower_expr(ts_node_child(n, i)));
  }
  NodeId index = idx.size() == 1 ? idx[0] : emit("tuple", idx, n);
  NodeId id = emit("getitem", {v, index}, n);
  return id;
}

NodeId FunctionLowerer::lower_collection(TSNode n, const char* op) {
  std::vector<NodeId> items;
  for_each_named_child(n, [&](TSNode e) {
    std::string_view et = node_type(e);
    if (et == "comment") return;
    if (et == "pair") {
      items.push_back(lower_expr(ts_node_child_by_field_name(e, "key", 3)));
      items.push_back(lower_expr(ts_node_child_by_field_name(e, "value", 5)));
    } else {
      items.push_back(lower_expr(e));
    }
  });
  return emit(op, std::move(items), n);
}

NodeId FunctionLowerer::lower_comprehension(TSNode n) {
  // Bind the loop targets to iter_item(iterable) in a scratch scope, lower the body and filters.
  Env saved = env_;
  std::vector<NodeId> parts;
  for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
    TSNode e = ts_node_named_child(n, i);
    std::string_view et = node_type(e);
    if (et == "for_in_clause") {
      NodeId it = lower_expr(ts_node_child_by_field_name(e, "right", 5));
      NodeId item = emit("iter_item", {it}, e);
      assign(ts_node_child_by_field_name(e, "left", 4), item, e);
      parts.push_back(item);
    } else if (et == "if_clause") {
      parts.push_back(lower_expr(named_child(e, 0)));
    }
  }
  NodeId body;
  TSNode b = ts_node_child_by_field_name(n, "body", 4);
  if (std::string_view(node_type(b)) == "pair") {
    body = emit(
        "tuple",
        {lower_expr(ts_node_child_by_field_name(b, "key", 3)), lower_expr(ts_node_child_by_field_name(b, "value", 5))},
        b);
  } else {
    body = lower_expr(b);
  }
  env_ = std::move(saved);
  parts.insert(parts.begin(), body);
  // (a dict comprehension is named "dict": its element is the (key, value) pair)
  return emit("comprehension", std::move(parts), n, std::string_view(node_type(n)) == "dictionary_comprehension" ? "dict" : "");
}

NodeId FunctionLowerer::lower_string(TSNode n) {
  std::string s(fc_.text(n));
  std::vector<NodeId> interp;
  // f-string interpolations are expressions too.
  std::vector<TSNode> stack{n};
  while (!stack.empty()) {
    TSNode c = stack.back();
    stack.pop_back();
    for (uint32_t i = 0, k = ts_node_named_child_count(c); i < k; ++i) {
      TSNode ch = ts_node_named_child(c, i);
      if (std::string_view(node_type(ch)) == "interpolation")
        interp.push_back(lower_expr(named_child(ch, 0)));
      else if (std::string_view(node_type(ch)) == "string")
        stack.push_back(ch);
    }
  }
  // Strip prefix and quotes of a simple literal for `name`.
  size_t q = s.find_first_of("'\"");
  if (q != std::string::npos) {
    std::string body = s.substr(q);
    size_t ql = body.rfind("\"\"\"", 0) == 0 || body.rfind("'''", 0) == 0 ? 3 : 1;
    if (body.size() >= 2 * ql) body = body.substr(ql, body.size() - 2 * ql);
    s = body;
  }
  NodeId id = emit("const", std::move(interp), n, s);
  fn().node(id).kwargs.emplace_back("string", kNoNode);
  return id;
}

NodeId FunctionLowerer::lower_number(TSNode n) {
  std::string s(fc_.text(n));
  std::string clean;
  for (char ch : s)
    if (ch != '_') clean += ch;
  double v = 0;
  bool imag = !clean.empty() && (clean.back() == 'j' || clean.back() == 'J');
  if (imag) clean.pop_back();
  if (clean.size() > 2 && clean[0] == '0' && (clean[1] == 'x' || clean[1] == 'X'))
    v = static_cast<double>(std::strtoull(clean.c_str() + 2, nullptr, 16));
  else if (clean.size() > 2 && clean[0] == '0' && (clean[1] == 'o' || clean[1] == 'O'))
    v = static_cast<double>(std::strtoull(clean.c_str() + 2, nullptr, 8));
  else if (clean.size() > 2 && clean[0] == '0' && (clean[1] == 'b' || clean[1] == 'B'))
    v = static_cast<double>(std::strtoull(clean.c_str() + 2, nullptr, 2));
  else
    v = std::strtod(clean.c_str(), nullptr);
  return constant(v, n, s);
}

NodeId FunctionLowerer::lower_lambda(TSNode n) {
  int32_t id = static_cast<int32_t>(fc_.prog.functions.size());
  fc_.prog.functions.emplace_back();
  ir::Function& f = fc_.prog.functions.back();
  f.id = id;
  f.name = "<lambda>";
  f.qualname = fn().qualname + ".<lambda>";
  f.file = 0;
  f.parent = fn_id_;
  f.loc = fc_.loc(n);
  FunctionLowerer sub(fc_, id, this, -1, nullptr);
  sub.lower_params(ts_node_child_by_field_name(n, "parameters", 10));
  NodeId body = sub.lower_expr(ts_node_child_by_field_name(n, "body", 4));
  NodeId ret = sub.emit("return", {body}, n);
  sub.fn().returns.push_back(ret);
  NodeId v = emit("lambda", {}, n, "<lambda>");
  fn().node(v).target_function = id;
  return v;
}

void FunctionLowerer::fold(ir::Node& n) { ir::fold_constant(fn(), n.id); }

}  // namespace archscan::frontend::python
