// Statement lowering: assignments bind SSA versions, if/loops merge them with phi nodes, nested
// definitions become functions and modules of their own.
#include <algorithm>

#include "frontend/python/py_lower.h"
#include "frontend/python/ts_util.h"
#include "ir/ops.h"

namespace archscan::frontend::python {

using ir::kNoNode;
using ir::NodeId;

FunctionLowerer::FunctionLowerer(FileContext& fc, int32_t fn_id, const FunctionLowerer* parent, int32_t owner_module,
                                 const std::unordered_set<std::string>* class_methods)
    : fc_(fc),
      fn_id_(fn_id),
      parent_(parent),
      owner_module_(owner_module),
      class_methods_(class_methods),
      // Nested functions, lambdas and classes continue their parent's nesting depth, so
      // `lambda: lambda: ...` 5,000 deep stops at max_depth instead of overflowing the stack.
      depth_(parent ? parent->depth_ + 1 : 0) {}

NodeId FunctionLowerer::emit(std::string op, std::vector<NodeId> args, TSNode at, std::string name) {
  ir::Function& f = fn();
  ir::Node n;
  n.id = static_cast<NodeId>(f.nodes.size());
  n.op = std::move(op);
  args.erase(std::remove(args.begin(), args.end(), kNoNode), args.end());
  n.args = std::move(args);
  n.name = std::move(name);
  n.loc = fc_.loc(at);
  n.scope_depth = scope_depth_;
  if (training_scope_ > 0) n.flags |= ir::kTraining;
  f.nodes.push_back(std::move(n));
  return f.nodes.back().id;
}

NodeId FunctionLowerer::constant(double v, TSNode at, std::string repr) {
  NodeId id = emit("const", {}, at, std::move(repr));
  fn().node(id).num = v;
  return id;
}

NodeId FunctionLowerer::lookup(const std::string& name) const {
  auto it = env_.find(name);
  return it == env_.end() ? kNoNode : it->second;
}

bool FunctionLowerer::bound_in_parents(const std::string& name) const {
  // Module and class bodies do not form closures: their names are globals / class attributes.
  for (const FunctionLowerer* p = parent_; p; p = p->parent_) {
    const std::string& pn = p->fc_.prog.functions[static_cast<size_t>(p->fn_id_)].name;
    if (pn != "<module>" && pn != "<class>" && p->env_.count(name)) return true;
  }
  return false;
}

void FunctionLowerer::lower_params(TSNode params) {
  if (ts_node_is_null(params)) return;
  int pos = 0;
  for (uint32_t i = 0, c = ts_node_named_child_count(params); i < c; ++i) {
    TSNode p = ts_node_named_child(params, i);
    std::string_view t = node_type(p);
    TSNode name_node = p;
    NodeId def = kNoNode;
    // `*args` / `**kwargs` (also typed): they collect the remaining arguments.
    std::string_view splat = t;
    if (t == "typed_parameter" && !ts_node_is_null(named_child(p, 0))) splat = node_type(named_child(p, 0));
    if (t == "default_parameter" || t == "typed_default_parameter") {
      name_node = ts_node_child_by_field_name(p, "name", 4);
      def = lower_expr(ts_node_child_by_field_name(p, "value", 5));
    } else if (t == "typed_parameter" || t == "list_splat_pattern" || t == "dictionary_splat_pattern") {
      name_node = named_child(p, 0);
      if (std::string_view(node_type(name_node)) == "list_splat_pattern" ||
          std::string_view(node_type(name_node)) == "dictionary_splat_pattern")
        name_node = named_child(name_node, 0);
    } else if (t != "identifier") {
      continue;
    }
    if (ts_node_is_null(name_node) || std::string_view(node_type(name_node)) != "identifier") continue;
    // `cfg: Config`: the annotated class, when it is a plain name (what a caller is meant to pass).
    NodeId annotation = kNoNode;
    if (t == "typed_parameter" || t == "typed_default_parameter") {
      TSNode type = ts_node_child_by_field_name(p, "type", 4);
      TSNode inner = ts_node_is_null(type) ? type : named_child(type, 0);
      if (!ts_node_is_null(inner) && std::string_view(node_type(inner)) == "identifier") annotation = lower_expr(inner);
    }
    fc_.note_identifier(name_node);
    std::string name(fc_.text(name_node));
    NodeId id = emit("param", {}, name_node, name);
    if (annotation != kNoNode) fn().node(id).kwargs.emplace_back("annotation", annotation);
    fn().node(id).num = pos++;
    if (def != kNoNode) fn().node(id).kwargs.emplace_back("default", def);
    if (splat == "list_splat_pattern") fn().node(id).kwargs.emplace_back("star", kNoNode);
    if (splat == "dictionary_splat_pattern") fn().node(id).kwargs.emplace_back("double_star", kNoNode);
    fn().params.push_back(name);
    fn().param_nodes.push_back(id);
    env_[name] = id;
  }
}

void FunctionLowerer::lower_block(TSNode block) {
  for_each_named_child(block, [&](TSNode s) { lower_statement(s); });
}

void FunctionLowerer::lower_statement(TSNode s) {
  if (!check_depth(s)) return;
  ++depth_;
  std::string_view t = node_type(s);
  if (t == "expression_statement") {
    for (uint32_t i = 0, c = ts_node_named_child_count(s); i < c; ++i) {
      TSNode e = ts_node_named_child(s, i);
      std::string_view et = node_type(e);
      if (et == "assignment")
        lower_assignment(e);
      else if (et == "augmented_assignment")
        lower_augmented(e);
      else {
        NodeId v = lower_expr(e);
        if (v != kNoNode) fn().node(v).flags |= ir::kStatement;
      }
    }
  } else if (t == "return_statement") {
    NodeId v = lower_expr(named_child(s, 0));
    NodeId r = emit("return", {v}, s);
    fn().returns.push_back(r);
    // `if test: return a` ... `return b`: which value the call gives is the test's decision.
    if (!branches_.empty()) fn().node(r).kwargs.emplace_back("cond", branches_.back());
  } else if (t == "if_statement") {
    lower_if(s);
  } else if (t == "match_statement") {
    lower_match(s);
  } else if (t == "for_statement") {
    lower_loop(s, true);
  } else if (t == "while_statement") {
    lower_loop(s, false);
  } else if (t == "with_statement") {
    lower_with(s);
  } else if (t == "try_statement") {
    lower_try(s);
  } else if (t == "function_definition") {
    lower_function_def(s, TSNode{});
  } else if (t == "class_definition") {
    lower_class_def(s, TSNode{});
  } else if (t == "decorated_definition") {
    TSNode def = ts_node_child_by_field_name(s, "definition", 10);
    if (std::string_view(node_type(def)) == "class_definition")
      lower_class_def(def, s);
    else
      lower_function_def(def, s);
  } else if (t == "raise_statement" || t == "assert_statement" || t == "delete_statement" || t == "print_statement" ||
             t == "exec_statement") {
    std::vector<NodeId> args;
    for (uint32_t i = 0, c = ts_node_named_child_count(s); i < c; ++i)
      args.push_back(lower_expr(ts_node_named_child(s, i)));
    NodeId id = emit(std::string(t.substr(0, t.find('_'))), std::move(args), s);
    fn().node(id).flags |= ir::kStatement;
    // `if test: raise E(...)`: whether it raises is the test's decision (see `caught`).
    if (t == "raise_statement" && !branches_.empty()) fn().node(id).kwargs.emplace_back("cond", branches_.back());
  } else if (t == "import_statement" || t == "import_from_statement") {
    // Imports inside functions bind local names; module-level ones are handled per file.
    if (fn().name != "<module>")
      for (auto& [local, target] : parse_import(fc_, s))
        if (local != "*") env_[local] = emit("global", {}, s, target);
  } else if (t == "block") {
    lower_block(s);
  } else if (t == "ERROR") {
    // Keep what parsed inside an error region visible.
    for (uint32_t i = 0, c = ts_node_named_child_count(s); i < c; ++i) {
      TSNode e = ts_node_named_child(s, i);
      std::string_view et = node_type(e);
      if (et.find("statement") != std::string_view::npos || et.find("definition") != std::string_view::npos)
        lower_statement(e);
      else if (et != "comment")
        lower_expr(e);
    }
  }
  // pass, break, continue, global, nonlocal, comments: no dataflow.
  --depth_;
}

void FunctionLowerer::assign(TSNode target, NodeId value, TSNode at, bool in_place) {
  if (ts_node_is_null(target) || !check_depth(target)) return;
  ++depth_;
  assign_inner(target, value, at, in_place);
  --depth_;
}

void FunctionLowerer::assign_inner(TSNode target, NodeId value, TSNode at, bool in_place) {
  std::string_view t = node_type(target);
  if (t == "identifier") {
    fc_.note_identifier(target);
    env_[std::string(fc_.text(target))] = value;
    return;
  }
  if (t == "pattern_list" || t == "tuple_pattern" || t == "list_pattern" || t == "tuple" || t == "list" ||
      t == "expression_list") {
    // `a, b = x, y`: each name gets its own element (no spread on either side).
    const ir::Node* packed = value >= 0 ? &fn().node(value) : nullptr;
    bool exact = packed && (packed->op == "tuple" || packed->op == "list") &&
                 packed->args.size() == ts_node_named_child_count(target);
    for (uint32_t i = 0, c = ts_node_named_child_count(target); exact && i < c; ++i)
      exact = std::string_view(node_type(ts_node_named_child(target, i))) != "list_splat_pattern" &&
              fn().node(packed->args[i]).op != "starred";
    if (exact) {
      const std::vector<NodeId> elements = packed->args;  // fn() may move as nodes are added
      for (uint32_t i = 0, c = ts_node_named_child_count(target); i < c; ++i)
        assign(ts_node_named_child(target, i), elements[i], at);
      return;
    }
    // `first, *rest, last = v`: names before the star read v[0], v[1]...; names after it read
    // from the end (v[-1] for the last); the starred name gets the sequence.
    const uint32_t c = ts_node_named_child_count(target);
    uint32_t star = c;
    for (uint32_t i = 0; i < c; ++i)
      if (std::string_view(node_type(ts_node_named_child(target, i))) == "list_splat_pattern") star = i;
    // `PAD, A, C, G, T = range(5)`: the numbers themselves (an enumeration of constants).
    if (packed && packed->op == "call" && packed->name == "range" && star == c && !packed->args.empty() &&
        packed->args.size() <= 3) {
      std::vector<double> r;
      for (NodeId a : packed->args)
        if (fn().node(a).num && fn().node(a).op != "param") r.push_back(*fn().node(a).num);
      if (r.size() == packed->args.size()) {
        const double start = r.size() >= 2 ? r[0] : 0.0, step = r.size() == 3 ? r[2] : 1.0;
        for (uint32_t i = 0; i < c; ++i) {
          TSNode el = ts_node_named_child(target, i);
          assign(el, constant(start + step * static_cast<double>(i), el), at);
        }
        return;
      }
    }
    for (uint32_t i = 0; i < c; ++i) {
      TSNode el = ts_node_named_child(target, i);
      if (i == star) {
        assign(el, value, at);
        continue;
      }
      const double index = i < star ? static_cast<double>(i) : -static_cast<double>(c - i);
      NodeId k = constant(index, el);
      assign(el, emit("getitem", {value, k}, el), at);
    }
    return;
  }
  if (t == "parenthesized_expression") return assign(named_child(target, 0), value, at, in_place);
  if (t == "list_splat_pattern") return assign(named_child(target, 0), value, at, in_place);
  if (t == "attribute") {
    TSNode attr = ts_node_child_by_field_name(target, "attribute", 9);
    fc_.note_identifier(attr);
    NodeId obj = lower_expr(ts_node_child_by_field_name(target, "object", 6));
    NodeId id = emit("setattr", {obj, value}, at, std::string(fc_.text(attr)));
    fn().node(id).flags |= ir::kStatement | (in_place ? ir::kInPlace : 0u);
    return;
  }
  if (t == "subscript") {
    TSNode base = ts_node_child_by_field_name(target, "value", 5);
    NodeId obj = lower_expr(base);
    std::vector<NodeId> idx;
    for (uint32_t i = 0, c = ts_node_child_count(target); i < c; ++i) {
      const char* f = ts_node_field_name_for_child(target, i);
      if (f && std::string_view(f) == "subscript") idx.push_back(lower_expr(ts_node_child(target, i)));
    }
    NodeId index = idx.size() == 1 ? idx[0] : emit("tuple", idx, target);
    NodeId id = emit("setitem", {obj, index, value}, at);
    fn().node(id).flags |= ir::kInPlace | ir::kStatement;
    if (std::string_view(node_type(base)) == "identifier") env_[std::string(fc_.text(base))] = id;
    return;
  }
}

void FunctionLowerer::lower_assignment(TSNode n) {
  TSNode right = ts_node_child_by_field_name(n, "right", 5);
  if (ts_node_is_null(right)) return;  // annotation only
  NodeId v;
  if (std::string_view(node_type(right)) == "assignment") {  // a = b = value
    lower_assignment(right);
    v = lower_expr(ts_node_child_by_field_name(right, "left", 4));
  } else {
    v = lower_expr(right);
  }
  assign(ts_node_child_by_field_name(n, "left", 4), v, n);
}

void FunctionLowerer::lower_augmented(TSNode n) {
  TSNode left = ts_node_child_by_field_name(n, "left", 4);
  std::string tok(fc_.text(ts_node_child_by_field_name(n, "operator", 8)));
  if (!tok.empty() && tok.back() == '=') tok.pop_back();
  NodeId cur = lower_expr(left);
  NodeId rhs = lower_expr(ts_node_child_by_field_name(n, "right", 5));
  NodeId v = emit(ir::binary_operator_op(tok), {cur, rhs}, n);
  fn().node(v).flags |= ir::kInPlace;
  fold(fn().node(v));
  assign(left, v, n, true);
}

void FunctionLowerer::merge(const Env& a, const Env& b, NodeId cond, TSNode at) {
  Env out = a;
  for (const auto& [name, vb] : b) {
    auto it = a.find(name);
    if (it != a.end() && it->second == vb) continue;
    std::vector<NodeId> args;
    if (it != a.end()) args.push_back(it->second);
    args.push_back(vb);
    NodeId phi = emit("phi", std::move(args), at, name);
    if (cond != kNoNode) fn().node(phi).kwargs.emplace_back("cond", cond);
    out[name] = phi;
  }
  for (const auto& [name, va] : a) {
    if (b.count(name)) continue;
    NodeId phi = emit("phi", {va}, at, name);
    if (cond != kNoNode) fn().node(phi).kwargs.emplace_back("cond", cond);
    out[name] = phi;
  }
  env_ = std::move(out);
}

// +1 when `cond` holds only while the module trains (`self.training`, `self.training and x`), -1
// when it holds only in eval mode (`not self.training`), 0 otherwise.
int FunctionLowerer::training_test(NodeId cond) {
  const ir::Node& c = fn().node(cond);
  if (c.op == "attr" && c.name == "training") return 1;
  if (c.op == "and" && c.args.size() == 2 && (training_test(c.args[0]) == 1 || training_test(c.args[1]) == 1)) return 1;
  if (c.op == "not" && c.args.size() == 1) return -training_test(c.args[0]);
  return 0;
}

void FunctionLowerer::lower_if(TSNode n) {
  NodeId cond = lower_expr(ts_node_child_by_field_name(n, "condition", 9));
  NodeId br = emit("branch", {cond}, n, "if");
  const int training = training_test(cond);
  Env before = env_;
  ++scope_depth_;
  branches_.push_back(br);
  if (training == 1) ++training_scope_;
  lower_block(ts_node_child_by_field_name(n, "consequence", 11));
  if (training == 1) --training_scope_;
  Env then_env = env_;
  env_ = before;
  // `if A: X elif B: Y else: Z` is `if A: X else: (if B: Y else: Z)`: each elif's consequence joins
  // with everything after it, innermost first (iteratively: thousands of elifs must not recurse).
  struct Pending {
    Env then_env;
    NodeId br;
    TSNode at;
  };
  std::vector<Pending> elifs;
  for (uint32_t i = 0, c = ts_node_child_count(n); i < c; ++i) {
    const char* f = ts_node_field_name_for_child(n, i);
    if (!f || std::string_view(f) != "alternative") continue;
    TSNode alt = ts_node_child(n, i);
    if (std::string_view(node_type(alt)) == "elif_clause") {
      NodeId c2 = lower_expr(ts_node_child_by_field_name(alt, "condition", 9));
      NodeId br2 = emit("branch", {c2}, alt, "if");
      Env before2 = env_;
      branches_.push_back(br2);
      lower_block(ts_node_child_by_field_name(alt, "consequence", 11));
      branches_.pop_back();
      elifs.push_back({std::move(env_), br2, alt});
      env_ = std::move(before2);
    } else {
      if (training == -1 && elifs.empty()) ++training_scope_;
      lower_block(ts_node_child_by_field_name(alt, "body", 4));
      if (training == -1 && elifs.empty()) --training_scope_;
    }
  }
  for (auto it = elifs.rbegin(); it != elifs.rend(); ++it) {
    Env rest = env_;
    merge(it->then_env, rest, it->br, it->at);
  }
  branches_.pop_back();
  --scope_depth_;
  Env else_env = env_;
  // Variables bound on one side only are kept too (Python semantics: they may be bound).
  const size_t joins = fn().nodes.size();
  merge(then_env, else_env, br, n);
  // (a join on `self.training` chooses between the training and the eval value: no decision on data)
  if (training != 0)
    for (size_t i = joins; i < fn().nodes.size(); ++i) fn().nodes[i].flags |= ir::kTraining;
}

// `match subject: case A: ... case B if g: ... case other: ...` is an if / elif chain: a literal
// pattern tests equality, a capture binds the subject, a guard joins the test; other patterns
// (classes, sequences, mappings) are tests the analysis does not decide. Every arm is reachable.
void FunctionLowerer::lower_match(TSNode n) {
  NodeId subject = lower_expr(ts_node_child_by_field_name(n, "subject", 7));
  TSNode body = ts_node_child_by_field_name(n, "body", 4);
  if (ts_node_is_null(body)) return;
  struct Arm {
    Env env;
    NodeId br;
    TSNode at;
  };
  std::vector<Arm> arms;
  ++scope_depth_;
  for (uint32_t i = 0, c = ts_node_named_child_count(body); i < c; ++i) {
    TSNode clause = ts_node_named_child(body, i);
    if (std::string_view(node_type(clause)) != "case_clause") continue;
    Env before = env_;
    NodeId br = emit("branch", {case_condition(subject, clause)}, clause, "if");
    lower_block(ts_node_child_by_field_name(clause, "consequence", 11));
    arms.push_back({std::move(env_), br, clause});
    env_ = std::move(before);
  }
  for (auto it = arms.rbegin(); it != arms.rend(); ++it) {
    Env rest = env_;
    merge(it->env, rest, it->br, it->at);
  }
  --scope_depth_;
}

NodeId FunctionLowerer::case_condition(NodeId subject, TSNode clause) {
  NodeId cond = kNoNode;
  for (uint32_t i = 0, c = ts_node_named_child_count(clause); i < c; ++i) {
    TSNode pat = ts_node_named_child(clause, i);
    if (std::string_view(node_type(pat)) != "case_pattern") continue;
    TSNode p = ts_node_named_child_count(pat) > 0 ? ts_node_named_child(pat, 0) : TSNode{};
    std::string_view pt = ts_node_is_null(p) ? std::string_view("_") : node_type(p);
    NodeId test;
    if (pt == "string" || pt == "integer" || pt == "float" || pt == "concatenated_string" || pt == "true" ||
        pt == "false" || pt == "none" || pt == "unary_operator") {
      test = emit("eq", {subject, lower_expr(p)}, pat);
    } else if (pt == "dotted_name" && ts_node_named_child_count(p) == 1) {
      assign(ts_node_named_child(p, 0), subject, pat);  // case other: binds the subject
      test = constant(1, pat, "True");
    } else if (pt == "_") {
      test = constant(1, pat, "True");
    } else {
      test = emit("match_pattern", {subject}, pat);
      bind_pattern(p, subject);
    }
    cond = cond == kNoNode ? test : emit("or", {cond, test}, pat);
  }
  if (cond == kNoNode) cond = constant(1, clause, "True");
  TSNode guard = ts_node_child_by_field_name(clause, "guard", 5);
  if (!ts_node_is_null(guard) && ts_node_named_child_count(guard) > 0)
    cond = emit("and", {cond, lower_expr(ts_node_named_child(guard, 0))}, guard);
  return cond;
}

// The built-in classes whose class pattern's single positional sub-pattern is the subject itself
// (PEP 634): bool, bytearray, bytes, dict, float, frozenset, int, list, set, str, tuple.
static bool builtin_self_matching(std::string_view cls) {
  static const std::unordered_set<std::string_view> types = {"bool",      "bytearray", "bytes", "dict",
                                                             "float",     "frozenset", "int",   "list",
                                                             "set",       "str",       "tuple"};
  return types.count(cls) != 0;
}

// A class pattern's positional sub-patterns read the fields in order (`__match_args__`: a
// NamedTuple's or dataclass's fields), keyword ones the attribute named; sequence patterns read
// the items; a bare name captures.
void FunctionLowerer::bind_pattern(TSNode p, NodeId value, int depth) {
  if (ts_node_is_null(p) || value == kNoNode || depth > 16) return;
  std::string_view t = node_type(p);
  const uint32_t count = ts_node_named_child_count(p);
  if (t == "case_pattern") {
    if (count > 0) bind_pattern(ts_node_named_child(p, 0), value, depth + 1);
  } else if (t == "dotted_name") {
    if (count == 1) assign(ts_node_named_child(p, 0), value, p);
  } else if (t == "as_pattern") {
    if (count > 0) bind_pattern(ts_node_named_child(p, 0), value, depth + 1);
    TSNode alias = ts_node_child_by_field_name(p, "alias", 5);
    if (!ts_node_is_null(alias) && ts_node_named_child_count(alias) > 0)
      assign(ts_node_named_child(alias, 0), value, p);
  } else if (t == "keyword_pattern" && count >= 2) {
    TSNode name = ts_node_named_child(p, 0);
    NodeId field = emit("attr", {value}, p, std::string(fc_.text(name)));
    bind_pattern(ts_node_named_child(p, 1), field, depth + 1);
  } else if (t == "class_pattern" && count == 2 && builtin_self_matching(fc_.text(ts_node_named_child(p, 0)))) {
    // `case tuple(vector)`, `case float(bound)`: a built-in type's one positional sub-pattern
    // matches the subject itself.
    bind_pattern(ts_node_named_child(p, 1), value, depth + 1);
  } else if (t == "class_pattern" || t == "tuple_pattern" || t == "list_pattern") {
    double pos = 0;
    for (uint32_t i = t == "class_pattern" ? 1 : 0; i < count; ++i) {
      TSNode ch = ts_node_named_child(p, i);
      TSNode inner = std::string_view(node_type(ch)) == "case_pattern" && ts_node_named_child_count(ch) > 0
                         ? ts_node_named_child(ch, 0)
                         : ch;
      if (std::string_view(node_type(inner)) == "keyword_pattern") {
        bind_pattern(inner, value, depth + 1);
        continue;
      }
      NodeId item = emit("getitem", {value, constant(pos++, ch)}, ch);
      bind_pattern(ch, item, depth + 1);
    }
  }
}

void FunctionLowerer::collect_assigned(const FileContext& fc, TSNode n, std::unordered_set<std::string>& out) {
  std::vector<TSNode> stack{n};
  while (!stack.empty()) {
    TSNode c = stack.back();
    stack.pop_back();
    std::string_view t = node_type(c);
    if (t == "function_definition" || t == "class_definition" || t == "lambda") continue;
    if (t == "named_expression") {  // `(n := f())` binds n
      TSNode name = ts_node_child_by_field_name(c, "name", 4);
      if (std::string_view(node_type(name)) == "identifier") out.insert(std::string(fc.text(name)));
    }
    if (t == "call") {  // `xs.append(v)` makes the list's next version (see lower_call)
      TSNode callee = ts_node_child_by_field_name(c, "function", 8);
      if (std::string_view(node_type(callee)) == "attribute") {
        TSNode obj = ts_node_child_by_field_name(callee, "object", 6);
        std::string_view meth = fc.text(ts_node_child_by_field_name(callee, "attribute", 9));
        if (std::string_view(node_type(obj)) == "identifier" && makes_next_version(meth))
          out.insert(std::string(fc.text(obj)));
      }
    }
    if (t == "assignment" || t == "augmented_assignment" || t == "for_statement" || t == "for_in_clause") {
      TSNode left = ts_node_child_by_field_name(c, "left", 4);
      std::vector<TSNode> ls{left};
      while (!ls.empty()) {
        TSNode l = ls.back();
        ls.pop_back();
        if (ts_node_is_null(l)) continue;
        std::string_view lt = node_type(l);
        if (lt == "identifier")
          out.insert(std::string(fc.text(l)));
        else if (lt == "subscript") {
          TSNode b = ts_node_child_by_field_name(l, "value", 5);
          if (std::string_view(node_type(b)) == "identifier") out.insert(std::string(fc.text(b)));
        } else if (lt != "attribute") {
          for (uint32_t i = 0, k = ts_node_named_child_count(l); i < k; ++i) ls.push_back(ts_node_named_child(l, i));
        }
      }
    }
    for (uint32_t i = 0, k = ts_node_named_child_count(c); i < k; ++i) stack.push_back(ts_node_named_child(c, i));
  }
}

void FunctionLowerer::lower_loop(TSNode n, bool is_for) {
  // A `for` iterable is evaluated once, before the loop.
  NodeId head = is_for ? lower_expr(ts_node_child_by_field_name(n, "right", 5)) : kNoNode;
  TSNode cond_node = is_for ? TSNode{} : ts_node_child_by_field_name(n, "condition", 9);
  TSNode body = ts_node_child_by_field_name(n, "body", 4);
  // Loop-carried variables: a phi at the loop head, completed with the body's last version.
  std::unordered_set<std::string> assigned;
  collect_assigned(fc_, body, assigned);
  if (!ts_node_is_null(cond_node)) collect_assigned(fc_, cond_node, assigned);  // `while (n := f()) > 0`
  std::vector<std::pair<std::string, NodeId>> phis;
  std::vector<std::string> names(assigned.begin(), assigned.end());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    NodeId pre = lookup(name);
    if (pre == kNoNode) continue;
    NodeId phi = emit("phi", {pre}, n, name);
    env_[name] = phi;
    phis.emplace_back(name, phi);
  }
  // A `while` condition is evaluated at the loop head on every iteration: it reads the loop-carried
  // versions (the phis), so `while i < 10: i += 1` compares the phi, not the initial 0.
  if (!is_for) head = lower_expr(cond_node);
  NodeId br = emit("branch", {head}, n, is_for ? "for" : "while");
  for (auto& [name, phi] : phis) fn().node(phi).kwargs.emplace_back("cond", br);
  ++scope_depth_;
  if (is_for) {
    NodeId item = emit("iter_item", {head}, n);
    assign(ts_node_child_by_field_name(n, "left", 4), item, n);
  }
  lower_block(body);
  --scope_depth_;
  for (auto& [name, phi] : phis) {
    NodeId end = lookup(name);
    if (end != kNoNode && end != phi) fn().node(phi).args.push_back(end);
    env_[name] = phi;
  }
  TSNode alt = ts_node_child_by_field_name(n, "alternative", 11);
  if (!ts_node_is_null(alt)) lower_block(ts_node_child_by_field_name(alt, "body", 4));
}

// `with cm as x: body` runs `x = cm.__enter__()`, the body, then `cm.__exit__(...)`: lowered as
// those two method calls (op `__enter__` / `__exit__` on the manager), so a manager class of the
// tree runs its own code; for any other manager `__enter__` stands for the manager itself.
void FunctionLowerer::lower_with(TSNode n) {
  std::vector<std::pair<NodeId, TSNode>> managers;
  for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
    TSNode ch = ts_node_named_child(n, i);
    if (std::string_view(node_type(ch)) != "with_clause") continue;
    for (uint32_t j = 0, k = ts_node_named_child_count(ch); j < k; ++j) {
      TSNode item = ts_node_named_child(ch, j);
      TSNode value = ts_node_child_by_field_name(item, "value", 5);
      const bool as = std::string_view(node_type(value)) == "as_pattern";
      NodeId v = lower_expr(as ? named_child(value, 0) : value);
      if (v == kNoNode) continue;
      fn().node(v).flags |= ir::kStatement;
      NodeId entered = emit("__enter__", {v}, item, "__enter__");
      fn().node(entered).flags |= ir::kStatement;
      managers.emplace_back(v, item);
      if (as) {
        TSNode alias = ts_node_child_by_field_name(value, "alias", 5);
        if (!ts_node_is_null(alias)) assign(named_child(alias, 0), entered, item);
      }
    }
  }
  lower_block(ts_node_child_by_field_name(n, "body", 4));
  for (auto it = managers.rbegin(); it != managers.rend(); ++it) {
    NodeId exited = emit("__exit__", {it->first}, it->second, "__exit__");
    fn().node(exited).flags |= ir::kStatement;
  }
}

void FunctionLowerer::lower_try(TSNode n) {
  // The body may stop at any statement: each handler starts from the versions before the body, and
  // the join merges the versions of the completed body (and its `else`) with each handler's.
  Env before = env_;
  lower_block(ts_node_child_by_field_name(n, "body", 4));
  // except E as e: `value` E, `alias` e (bound to the exception caught: a `caught` node of E, the
  // instance some `raise` in the body made), then the block.
  auto clause_block = [&](TSNode ch) {
    NodeId value = kNoNode;
    for (uint32_t j = 0, k = ts_node_child_count(ch); j < k; ++j) {
      TSNode b = ts_node_child(ch, j);
      if (!ts_node_is_named(b)) continue;
      const char* field = ts_node_field_name_for_child(ch, j);
      std::string_view bt = node_type(b);
      if (bt == "block") {
        lower_block(b);
      } else if (field && std::string_view(field) == "alias") {
        assign(b, emit("caught", {value}, b), b);
      } else if (bt == "as_pattern") {  // older grammars: except E as e
        value = lower_expr(named_child(b, 0));
        TSNode alias = ts_node_child_by_field_name(b, "alias", 5);
        if (!ts_node_is_null(alias)) assign(named_child(alias, 0), emit("caught", {value}, b), b);
      } else if (bt != "comment") {
        value = lower_expr(b);
      }
    }
  };
  std::vector<TSNode> handlers;
  TSNode fin{};
  for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
    TSNode ch = ts_node_named_child(n, i);
    std::string_view t = node_type(ch);
    if (t == "except_clause" || t == "except_group_clause")
      handlers.push_back(ch);
    else if (t == "else_clause")
      clause_block(ch);
    else if (t == "finally_clause")
      fin = ch;
  }
  Env joined = env_;
  for (TSNode h : handlers) {
    env_ = before;
    ++scope_depth_;
    clause_block(h);
    --scope_depth_;
    Env handled = std::move(env_);
    env_ = joined;
    merge(joined, handled, kNoNode, h);
    joined = env_;
  }
  env_ = std::move(joined);
  if (!ts_node_is_null(fin)) clause_block(fin);
}

void FunctionLowerer::lower_function_def(TSNode n, TSNode decorated) {
  struct {
    std::string name, qualname;
  } const me{fn().name, fn().qualname};  // fn() moves as functions are added
  const bool in_class_body = me.name == "<class>";
  std::string prefix = me.name == "<module>" ? fc_.file().module_name
                       : in_class_body       ? fc_.prog.modules[static_cast<size_t>(owner_module_)].qualname
                                             : me.qualname + ".<locals>";
  int32_t id = lower_function(fc_, decorated.id ? decorated : n, prefix, this, in_class_body ? owner_module_ : -1,
                              in_class_body ? class_methods_ : nullptr);
  if (decorated.id) {
    // A decorator factory's call runs here, in the enclosing scope, when the definition executes.
    for (uint32_t i = 0, c = ts_node_named_child_count(decorated); i < c; ++i) {
      TSNode d = ts_node_named_child(decorated, i);
      if (std::string_view(node_type(d)) != "decorator" || ts_node_named_child_count(d) == 0) continue;
      TSNode expr = ts_node_named_child(d, 0);
      if (std::string_view(node_type(expr)) != "call") continue;
      NodeId call = lower_expr(expr);
      fc_.prog.functions[static_cast<size_t>(id)].decorator_scope = fn_id();
      fc_.prog.functions[static_cast<size_t>(id)].decorator_call = call;
      break;
    }
  }
  TSNode name = ts_node_child_by_field_name(n, "name", 4);
  NodeId v = emit("def", {}, n, std::string(fc_.text(name)));
  fn().node(v).target_function = id;
  env_[std::string(fc_.text(name))] = v;
  if (me.name == "<module>") fc_.file().functions[std::string(fc_.text(name))] = id;
}

void FunctionLowerer::lower_class_def(TSNode n, TSNode decorated) {
  struct {
    std::string name, qualname;
  } const me{fn().name, fn().qualname};  // fn() moves as functions are added
  // (a class nested in a class body is `Outer.Inner`, as Python's __qualname__ has it)
  std::string prefix = me.name == "<module>"                     ? fc_.file().module_name
                       : me.name == "<class>" && owner_module_ >= 0 ? fc_.prog.modules[static_cast<size_t>(owner_module_)].qualname
                                                                   : me.qualname + ".<locals>";
  int32_t mid = lower_class(fc_, decorated.id ? decorated : n, prefix, this);
  TSNode name = ts_node_child_by_field_name(n, "name", 4);
  NodeId v = emit("class", {}, n, std::string(fc_.text(name)));
  fn().node(v).target_module = mid;
  if (decorated.id) {
    // `@deco class C` runs `deco(C)` here; a decorator may install methods on the class. The name
    // stays bound to the class (decorators return it), innermost decorator first.
    for (uint32_t i = ts_node_named_child_count(decorated); i-- > 0;) {
      TSNode d = ts_node_named_child(decorated, i);
      if (std::string_view(node_type(d)) != "decorator" || ts_node_named_child_count(d) == 0) continue;
      NodeId deco = lower_expr(ts_node_named_child(d, 0));
      if (deco == kNoNode) continue;
      NodeId applied = emit("call_value", {deco, v}, d, ir::kClassDecorator);
      fn().node(applied).flags |= ir::kStatement;
    }
  }
  env_[std::string(fc_.text(name))] = v;
  if (me.name == "<module>") fc_.file().classes[std::string(fc_.text(name))] = mid;
}

}  // namespace archscan::frontend::python
