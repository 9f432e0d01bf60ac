// Syntactic lowering of C++ with tree-sitter-cpp: used when the torch / ggml headers are missing
// (Clang then drops the bodies of everything that uses them). Declarations of the file stand in
// for types: a member declared `torch::nn::Conv2d` is a module, `torch::Tensor` a tensor.
#include <tree_sitter/api.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "frontend/cpp/cpp_lower.h"
#include "ir/ops.h"

extern "C" const TSLanguage* tree_sitter_cpp(void);

namespace archscan::frontend::cpp {
namespace {

// Null-safe node accessors. tree-sitter's own ones dereference the node (and its tree): an absent
// field, a missing child or a parse-recovery node would crash them. Every access below goes
// through these.
std::string_view type_of(TSNode n) { return ts_node_is_null(n) ? std::string_view() : ts_node_type(n); }
TSNode field(TSNode n, const char* f) {
  if (ts_node_is_null(n)) return TSNode{};
  return ts_node_child_by_field_name(n, f, static_cast<uint32_t>(std::strlen(f)));
}
uint32_t named_count(TSNode n) { return ts_node_is_null(n) ? 0 : ts_node_named_child_count(n); }

// ts_node_named_child(n, i) walks the children from the first: loops over the children of a node
// with many of them (a generated weight table, a flat file, an ERROR node) were quadratic. Nodes
// with many children get their named children listed once per file (tree cursor, linear).
struct ChildLists {
  std::unordered_map<const void*, std::vector<TSNode>> by_node;
};
thread_local ChildLists* t_children = nullptr;

TSNode named(TSNode n, uint32_t i) {
  uint32_t c = named_count(n);
  if (i >= c) return TSNode{};
  if (c < 16 || !t_children) return ts_node_named_child(n, i);
  std::vector<TSNode>& v = t_children->by_node[n.id];
  if (v.empty()) {
    v.reserve(c);
    TSTreeCursor cur = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&cur)) {
      do {
        TSNode ch = ts_tree_cursor_current_node(&cur);
        if (ts_node_is_named(ch)) v.push_back(ch);
      } while (ts_tree_cursor_goto_next_sibling(&cur));
    }
    ts_tree_cursor_delete(&cur);
  }
  return i < v.size() ? v[i] : ts_node_named_child(n, i);
}
uint32_t child_count(TSNode n) { return ts_node_is_null(n) ? 0 : ts_node_child_count(n); }
TSNode child_at(TSNode n, uint32_t i) { return i < child_count(n) ? ts_node_child(n, i) : TSNode{}; }
const char* field_name_at(TSNode n, uint32_t i) {
  return i < child_count(n) ? ts_node_field_name_for_child(n, i) : nullptr;
}

// Members every torch::nn::Module has: calls of them inside a module method are method calls on self.
bool is_module_api(const std::string& n) {
  static const std::unordered_set<std::string> s = {"register_module",
                                                    "register_parameter",
                                                    "register_buffer",
                                                    "parameters",
                                                    "named_parameters",
                                                    "buffers",
                                                    "named_buffers",
                                                    "children",
                                                    "named_children",
                                                    "modules",
                                                    "named_modules",
                                                    "is_training",
                                                    "train",
                                                    "eval",
                                                    "to",
                                                    "zero_grad",
                                                    "apply",
                                                    "pretty_print",
                                                    "clone",
                                                    "replace_module",
                                                    "name"};
  return s.count(n) != 0;
}

class Syntax {
 public:
  Syntax(FileCtx& fc, const std::string& src) : fc_(fc), src_(src) {}

  std::string text(TSNode n) const {
    if (ts_node_is_null(n)) return {};
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (a > src_.size() || b > src_.size() || b < a) return {};
    return src_.substr(a, b - a);
  }
  ir::Loc loc(TSNode n) const {
    if (ts_node_is_null(n)) return {};
    TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
    return fc_.loc(static_cast<int32_t>(s.row) + 1, static_cast<int32_t>(s.column) + 1, static_cast<int32_t>(e.row) + 1,
                   static_cast<int32_t>(e.column) + 1);
  }

  void run(TSNode root) {
    declare_scope(root, "");
    // Every function exists before any body is lowered, so calls resolve in any order.
    for (auto& j : jobs_) {
      const bool method = j.owner && (j.owner->is_module || j.owner->module_id >= 0);
      j.fn_id = fc_.new_function(j.name, j.qual, method ? j.owner->module_id : -1, -1, loc(j.def), !j.owner);
    }
    for (auto& job : jobs_) lower_job(job);
    fc_.finish();
  }

 private:
  struct Job {
    TSNode def;                  // function_definition
    std::string name;            // as written (method name, "__init__" for constructors)
    std::string qual;            // C++ qualified
    ClassInfo* owner = nullptr;  // module or ggml struct owning it
    std::string owner_name;
    bool ctor = false;
    bool synthetic = false;  // __init__ made of default member initializers only
    int32_t fn_id = -1;
  };
  std::unordered_map<std::string, std::unordered_map<std::string, TSNode>> class_defaults_;
  std::unordered_map<std::string, bool> has_ctor_;
  int decl_depth_ = 0;

  // --- pass 1: declarations ------------------------------------------------------------------

  void declare_scope(TSNode scope, const std::string& ns) {
    for (uint32_t i = 0, c = named_count(scope); i < c; ++i) declare_top(named(scope, i), ns);
  }

  // Nested namespaces, classes and parse-recovery nodes recurse: bounded like statements are.
  bool enter_decl(TSNode n) {
    if (decl_depth_ < fc_.opts.max_depth) {
      ++decl_depth_;
      return true;
    }
    if (!fc_.too_deep) {
      fc_.too_deep = true;
      fc_.too_deep_loc = loc(n);
    }
    return false;
  }

  void declare_top(TSNode n, const std::string& ns) {
    if (!enter_decl(n)) return;
    declare_top_inner(n, ns);
    --decl_depth_;
  }

  void declare_top_inner(TSNode n, const std::string& ns) {
    std::string_view t = type_of(n);
    if (t == "namespace_definition") {
      std::string name = text(field(n, "name"));
      TSNode body = field(n, "body");
      declare_scope(body, name.empty() ? ns : (ns.empty() ? name : ns + "::" + name));
    } else if (t == "linkage_specification" || t == "declaration_list" || t == "preproc_if" || t == "preproc_ifdef" ||
               t == "preproc_else" || t == "preproc_elif") {
      TSNode body = field(n, "body");
      if (!ts_node_is_null(body) && t == "linkage_specification")
        declare_top(body, ns);
      else
        declare_scope(n, ns);
    } else if (t == "template_declaration") {
      for (uint32_t i = 0, c = named_count(n); i < c; ++i) {
        TSNode ch = named(n, i);
        if (type_of(ch) != "template_parameter_list") declare_top(ch, ns);
      }
    } else if (t == "namespace_alias_definition") {
      std::string name = text(field(n, "name"));
      std::string target = text(named(n, 1));
      fc_.ns_alias[name] = strip(target);
    } else if (t == "using_declaration") {
      std::string s = text(n);
      if (s.find("namespace") != std::string::npos) {
        std::string nsn = strip(s.substr(s.find("namespace") + 9));
        if (!nsn.empty() && nsn.back() == ';') nsn.pop_back();
        if (nsn == "torch" || nsn == "at" || nsn == "::torch") fc_.using_torch = true;
        if (nsn == "torch::nn" || nsn == "torch::nn::functional") fc_.using_torch = true;
      }
    } else if (t == "alias_declaration" || t == "type_definition") {
      // using Net = NetImpl; typedef ...: aliases of user classes act like holders.
      std::string s = text(n);
      if (t == "alias_declaration") {
        std::string name = text(field(n, "name"));
        std::string target = strip(text(field(n, "type")));
        fc_.holders.emplace(name, target.substr(target.rfind(':') == std::string::npos ? 0 : target.rfind(':') + 1));
      }
    } else if (t == "class_specifier" || t == "struct_specifier") {
      declare_class(n, ns);
    } else if (t == "declaration") {
      // struct X {...} x; / constexpr int kT = 31337;
      TSNode ty = field(n, "type");
      if (type_of(ty) == "class_specifier" || type_of(ty) == "struct_specifier") declare_class(ty, ns);
      declare_constant(n, ns);
    } else if (t == "function_definition") {
      declare_function(n, ns);
    } else if (t == "expression_statement") {
      // TORCH_MODULE(Net);
      TSNode call = named(n, 0);
      if (type_of(call) == "call_expression") {
        std::string fname = text(field(call, "function"));
        TSNode args = field(call, "arguments");
        if (fname == "TORCH_MODULE" && named_count(args) >= 1) {
          std::string h = text(named(args, 0));
          fc_.holders[h] = h + "Impl";
        } else if (fname == "TORCH_MODULE_IMPL" && named_count(args) >= 2) {
          fc_.holders[text(named(args, 0))] = text(named(args, 1));
        }
      }
    } else if (t == "preproc_include") {
      // handled lexically (cpp_frontend.cpp)
    } else if (t == "ERROR") {
      declare_scope(n, ns);
    }
  }

  static std::string strip(std::string s) {
    std::string out;
    for (char c : s)
      if (c != ' ' && c != '\n' && c != '\t' && c != '\r') out += c;
    return out;
  }

  std::optional<double> eval_const(TSNode n, int depth = 0) {
    if (ts_node_is_null(n) || depth > 20) return std::nullopt;
    std::string_view t = type_of(n);
    if (t == "number_literal") return parse_number(text(n));
    if (t == "true") return 1.0;
    if (t == "false") return 0.0;
    if (t == "parenthesized_expression") return eval_const(named(n, 0), depth + 1);
    if (t == "identifier") {
      auto it = fc_.constants.find(text(n));
      if (it != fc_.constants.end()) return it->second;
      return std::nullopt;
    }
    if (t == "unary_expression") {
      auto a = eval_const(field(n, "argument"), depth + 1);
      std::string op = text(field(n, "operator"));
      if (!a) return std::nullopt;
      if (op == "-") return -*a;
      if (op == "+") return *a;
      return std::nullopt;
    }
    if (t == "binary_expression") {
      auto a = eval_const(field(n, "left"), depth + 1), b = eval_const(field(n, "right"), depth + 1);
      std::string op = text(field(n, "operator"));
      if (!a || !b) return std::nullopt;
      if (op == "+") return *a + *b;
      if (op == "-") return *a - *b;
      if (op == "*") return *a * *b;
      if (op == "/" && *b != 0) return *a / *b;
      if (op == "<<") return *a * std::pow(2.0, *b);
      return std::nullopt;
    }
    if (t == "cast_expression") return eval_const(field(n, "value"), depth + 1);
    if (t == "call_expression") {
      // static_cast<float>(255), float(255)
      std::string f = text(field(n, "function"));
      TSNode args = field(n, "arguments");
      if ((f.find("_cast") != std::string::npos || f == "float" || f == "double" || f == "int" || f == "int64_t") &&
          named_count(args) == 1)
        return eval_const(named(args, 0), depth + 1);
    }
    return std::nullopt;
  }

  void declare_constant(TSNode decl, const std::string& ns) {
    std::string s = text(decl);
    bool is_const = false;
    for (uint32_t i = 0, c = named_count(decl); i < c; ++i) {
      TSNode ch = named(decl, i);
      std::string_view ct = type_of(ch);
      if (ct == "type_qualifier" || ct == "storage_class_specifier") {
        std::string q = text(ch);
        if (q == "const" || q == "constexpr") is_const = true;
      }
    }
    if (!is_const) return;
    for (uint32_t i = 0, c = child_count(decl); i < c; ++i) {
      const char* f = field_name_at(decl, i);
      if (!f || std::strcmp(f, "declarator") != 0) continue;
      TSNode d = child_at(decl, i);
      if (type_of(d) != "init_declarator") continue;
      std::string name = text(field(d, "declarator"));
      TSNode v = field(d, "value");
      if (type_of(v) == "initializer_list" && named_count(v) == 1) v = named(v, 0);
      if (auto val = eval_const(v)) {
        fc_.constants[name] = *val;
        if (!ns.empty()) fc_.constants[fc_.dotted(ns + "::" + name)] = *val;
      }
    }
    (void)s;
  }

  // The name declared by a declarator (through pointers, references, arrays, init).
  TSNode declarator_name(TSNode d) {
    for (int guard = 0; !ts_node_is_null(d) && guard < 16; ++guard) {
      std::string_view t = type_of(d);
      if (t == "identifier" || t == "field_identifier" || t == "qualified_identifier" || t == "operator_name" ||
          t == "destructor_name" || t == "template_function")
        return d;
      TSNode inner = field(d, "declarator");
      if (ts_node_is_null(inner)) inner = named(d, 0);
      d = inner;
    }
    return TSNode{};
  }

  void declare_class(TSNode n, const std::string& ns) {
    if (!enter_decl(n)) return;
    declare_class_inner(n, ns);
    --decl_depth_;
  }

  void declare_class_inner(TSNode n, const std::string& ns) {
    TSNode body = field(n, "body");
    TSNode name_node = field(n, "name");
    if (ts_node_is_null(body) || ts_node_is_null(name_node)) return;
    ClassInfo ci;
    ci.name = text(name_node);
    if (type_of(name_node) == "template_type") ci.name = text(field(name_node, "name"));
    ci.qual = ns.empty() ? ci.name : ns + "::" + ci.name;
    ci.loc = loc(n);
    fc_.note_identifier(ci.name, loc(name_node));
    for (uint32_t i = 0, c = named_count(n); i < c; ++i) {
      TSNode ch = named(n, i);
      if (type_of(ch) != "base_class_clause") continue;
      for (uint32_t j = 0, k = named_count(ch); j < k; ++j) {
        TSNode b = named(ch, j);
        std::string_view bt = type_of(b);
        if (bt == "access_specifier" || bt == "virtual") continue;
        std::string base = fc_.dotted(strip(text(b)));
        ci.bases.push_back(base);
        if (base == "torch.nn.Module" || base == "nn.Module" || base.rfind("torch.nn.Cloneable", 0) == 0 ||
            base == "Module" || base == "torch.nn.Cloneable")
          ci.is_module = true;
        std::string simple = base.substr(base.rfind('.') == std::string::npos ? 0 : base.rfind('.') + 1);
        if (const ClassInfo* bc = fc_.cls(simple)) {
          if (bc->is_module) ci.is_module = true;
          if (bc->ggml_weights) ci.ggml_weights = true;
          for (const auto& f : bc->fields) (void)f;
        }
      }
    }
    std::vector<TSNode> inner_classes;
    for (uint32_t i = 0, c = named_count(body); i < c; ++i) {
      TSNode m = named(body, i);
      std::string_view mt = type_of(m);
      if (mt == "template_declaration") {
        for (uint32_t j = 0, k = named_count(m); j < k; ++j)
          if (type_of(named(m, j)) == "function_definition") m = named(m, j);
        mt = type_of(m);
      }
      if (mt == "field_declaration") {
        TSNode ty = field(m, "type");
        if (type_of(ty) == "class_specifier" || type_of(ty) == "struct_specifier") inner_classes.push_back(ty);
        std::string type = text(ty);
        bool is_static = false, is_const = false;
        for (uint32_t j = 0, k = named_count(m); j < k; ++j) {
          TSNode q = named(m, j);
          if (type_of(q) == "storage_class_specifier" && text(q) == "static") is_static = true;
          if (type_of(q) == "type_qualifier" && (text(q) == "const" || text(q) == "constexpr")) is_const = true;
        }
        TSNode dv = field(m, "default_value");
        if (!ts_node_is_null(dv) && !is_static) {
          TSNode nm0 = declarator_name(field(m, "declarator"));
          if (!ts_node_is_null(nm0)) class_defaults_[ci.name][text(nm0)] = dv;
        }
        for (uint32_t j = 0, k = child_count(m); j < k; ++j) {
          const char* f = field_name_at(m, j);
          if (!f || std::strcmp(f, "declarator") != 0) continue;
          TSNode d = child_at(m, j);
          std::string dtext = text(d);
          TSNode nm = declarator_name(d);
          if (ts_node_is_null(nm)) continue;
          if (type_of(d) == "function_declarator") {
            ci.methods.insert(text(nm));
            if (text(nm) == ci.name) has_ctor_[ci.name] = true;
            continue;
          }
          FieldInfo fi;
          fi.name = text(nm);
          fi.type =
              type + (dtext.find('*') != std::string::npos ? "*" : "") + (type_of(d) == "array_declarator" ? "[]" : "");
          std::string sn;
          fi.kind = kind_of_type(fc_, fi.type, &sn);
          fi.elem_struct = sn;
          if (fi.kind == Kind::Struct && type_of(d) == "array_declarator") fi.type += "[]";
          fi.is_static = is_static;
          fi.loc = loc(m);
          if (is_static && is_const && !ts_node_is_null(dv)) fi.value = eval_const(dv);
          fc_.note_identifier(fi.name, loc(nm));
          ci.fields.push_back(std::move(fi));
          if (fi.kind == Kind::Ggml || (fi.kind == Kind::Struct)) ci.ggml_weights = true;
        }
        for (const auto& f : ci.fields)
          if (f.kind == Kind::Ggml || f.kind == Kind::Struct) ci.ggml_weights = true;
      } else if (mt == "function_definition" || mt == "declaration") {
        TSNode d = field(m, "declarator");
        TSNode nm = declarator_name(d);
        if (!ts_node_is_null(nm)) {
          ci.methods.insert(text(nm));
          if (text(nm) == ci.name) has_ctor_[ci.name] = true;
        }
      } else if (mt == "class_specifier" || mt == "struct_specifier") {
        inner_classes.push_back(m);
      }
    }
    std::string cname = ci.name;
    ClassInfo& stored = fc_.add_class(std::move(ci));
    // Methods defined in the class body.
    for (uint32_t i = 0, c = named_count(body); i < c; ++i) {
      TSNode m = named(body, i);
      if (type_of(m) == "template_declaration")
        for (uint32_t j = 0, k = named_count(m); j < k; ++j)
          if (type_of(named(m, j)) == "function_definition") m = named(m, j);
      if (type_of(m) != "function_definition") continue;
      TSNode nm = declarator_name(field(m, "declarator"));
      if (ts_node_is_null(nm)) continue;
      std::string mname = text(nm);
      add_method_job(m, stored, mname, cname);
    }
    // A module without a constructor still initializes its members (default member initializers).
    if (stored.module_id >= 0 && !has_ctor_[stored.name] && class_defaults_.count(stored.name)) {
      Job j;
      j.def = n;
      j.ctor = true;
      j.synthetic = true;
      j.name = "__init__";
      j.qual = stored.qual + "::__init__";
      j.owner = &stored;
      j.owner_name = stored.name;
      jobs_.push_back(j);
    }
    for (TSNode ic : inner_classes) declare_class(ic, stored.qual);
  }

  void add_method_job(TSNode def, ClassInfo& owner, const std::string& mname, const std::string& cname) {
    if (ts_node_is_null(field(def, "body"))) return;
    if (!mname.empty() && mname[0] == '~') return;  // destructors
    Job j;
    j.def = def;
    j.ctor = mname == cname;
    if (j.ctor) has_ctor_[cname] = true;
    j.name = j.ctor ? "__init__" : mname;
    j.qual = owner.qual + "::" + j.name;
    j.owner = &owner;
    j.owner_name = owner.name;
    jobs_.push_back(j);
  }

  void declare_function(TSNode def, const std::string& ns) {
    if (ts_node_is_null(field(def, "body"))) return;
    TSNode nm = declarator_name(field(def, "declarator"));
    if (ts_node_is_null(nm)) return;
    if (type_of(nm) == "qualified_identifier") {
      // NetImpl::forward / NetImpl::NetImpl / ns::helper
      std::string full = text(nm);
      std::string scope = full.substr(0, full.rfind("::"));
      std::string name = full.substr(full.rfind("::") + 2);
      std::string scope_simple = scope.substr(scope.rfind("::") == std::string::npos ? 0 : scope.rfind("::") + 2);
      auto it = fc_.classes.find(scope_simple);
      if (it != fc_.classes.end()) {
        add_method_job(def, it->second, name, it->second.name);
        return;
      }
      Job j;
      j.def = def;
      j.name = name;
      j.qual = ns.empty() ? full : ns + "::" + full;
      jobs_.push_back(j);
      return;
    }
    Job j;
    j.def = def;
    j.name = text(nm);
    j.qual = ns.empty() ? j.name : ns + "::" + j.name;
    jobs_.push_back(j);
  }

  // --- pass 2: bodies -----------------------------------------------------------------------

  void lower_job(Job& j) {
    ClassInfo* owner = j.owner;
    const bool method = owner && (owner->is_module || owner->module_id >= 0);
    int32_t owner_mod = method ? owner->module_id : -1;
    // Free functions and methods of plain classes: registered by name at file level.
    (void)owner_mod;
    FnBuilder b(fc_, j.fn_id, method ? owner : nullptr);
    b.depth = 0;
    if (method) b.add_self(loc(j.def));
    if (j.synthetic) {
      lower_ctor_inits(b, j.def, *owner);
      b.finish();
      return;
    }
    TSNode decl = field(j.def, "declarator");
    while (!ts_node_is_null(decl) && type_of(decl) != "function_declarator") {
      TSNode inner = field(decl, "declarator");
      decl = ts_node_is_null(inner) ? named(decl, 0) : inner;
    }
    lower_params(b, field(decl, "parameters"), !method);
    if (j.ctor) lower_ctor_inits(b, j.def, *owner);
    lower_statement(b, field(j.def, "body"));
    b.finish();
  }

  void lower_params(FnBuilder& b, TSNode params, bool allow_ggml_model) {
    if (ts_node_is_null(params)) return;
    struct P {
      std::string name, type;
      Kind kind;
      std::string sn;
      ir::Loc loc;
      TSNode def{};
    };
    std::vector<P> ps;
    for (uint32_t i = 0, c = named_count(params); i < c; ++i) {
      TSNode p = named(params, i);
      std::string_view t = type_of(p);
      if (t != "parameter_declaration" && t != "optional_parameter_declaration" &&
          t != "variadic_parameter_declaration")
        continue;
      TSNode d = field(p, "declarator");
      TSNode nm = declarator_name(d);
      P x;
      x.name = ts_node_is_null(nm) ? std::string() : text(nm);
      x.type = text(field(p, "type")) + (text(d).find('*') != std::string::npos ? "*" : "");
      x.kind = kind_of_type(fc_, x.type, &x.sn);
      x.loc = loc(ts_node_is_null(nm) ? p : nm);
      if (t == "optional_parameter_declaration") x.def = field(p, "default_value");
      if (!x.name.empty()) fc_.note_identifier(x.name, x.loc);
      ps.push_back(std::move(x));
    }
    // ggml graph builders: the weight struct parameter is `self` of the struct's module.
    int model = -1;
    if (allow_ggml_model)
      for (size_t i = 0; i < ps.size(); ++i)
        if (ps[i].kind == Kind::Struct && !ps[i].sn.empty()) {
          if (b.ggml_model_param(ps[i].name, ps[i].sn, ps[i].loc)) model = static_cast<int>(i);
          break;
        }
    for (size_t i = 0; i < ps.size(); ++i) {
      if (static_cast<int>(i) == model) continue;
      NodeId def = ts_node_is_null(ps[i].def) ? kNoNode : lower_expr(b, ps[i].def);
      b.add_param(ps[i].name, ps[i].kind, ps[i].loc, ps[i].type, def);
    }
  }

  // Member initializers (the mem-init list and default member initializers), in declaration order.
  void lower_ctor_inits(FnBuilder& b, TSNode def, const ClassInfo& owner) {
    std::unordered_map<std::string, TSNode> inits;
    for (uint32_t i = 0, c = named_count(def); i < c; ++i) {
      TSNode ch = named(def, i);
      if (type_of(ch) != "field_initializer_list") continue;
      for (uint32_t j = 0, k = named_count(ch); j < k; ++j) {
        TSNode fi = named(ch, j);
        if (type_of(fi) != "field_initializer") continue;
        inits[text(named(fi, 0))] = fi;
      }
    }
    for (const auto& f : owner.fields) {
      if (f.is_static) continue;
      auto it = inits.find(f.name);
      TSNode args{};
      ir::Loc at;
      if (it != inits.end()) {
        args = named(it->second, 1);
        at = loc(it->second);
      } else {
        args = default_init(owner.name, f.name);
        at = f.loc;
      }
      if (ts_node_is_null(args)) continue;
      // `{nullptr}` / `(nullptr)`: an empty holder, assigned later.
      if ((type_of(args) == "argument_list" || type_of(args) == "initializer_list") && named_count(args) == 1 &&
          type_of(named(args, 0)) == "null")
        continue;
      if (type_of(args) == "null") continue;
      NodeId v;
      if (type_of(args) == "argument_list" || type_of(args) == "initializer_list") {
        Args a = lower_args(b, args);
        if (a.pos.size() == 1 && a.kw.empty() && f.kind == Kind::Module && b.kind_of(a.pos[0]) == Kind::Module) {
          v = a.pos[0];  // conv1(register_module("conv1", torch::nn::Conv2d(...)))
        } else if (f.kind == Kind::Unknown || f.kind == Kind::Other) {
          v = a.pos.size() == 1 ? a.pos[0] : b.construct(f.type, std::move(a), at);
        } else {
          v = b.construct(f.type, std::move(a), at);
        }
      } else {
        v = lower_expr(b, args);
      }
      Target t = b.target_member(b.self(), f.name, at);
      b.store(t, v, at);
    }
  }

  TSNode default_init(const std::string& cls, const std::string& field_name) {
    auto c = class_defaults_.find(cls);
    if (c == class_defaults_.end()) return TSNode{};
    auto it = c->second.find(field_name);
    return it == c->second.end() ? TSNode{} : it->second;
  }

  Args lower_args(FnBuilder& b, TSNode arglist) {
    Args a;
    if (ts_node_is_null(arglist)) return a;
    for (uint32_t i = 0, c = named_count(arglist); i < c; ++i) {
      TSNode e = named(arglist, i);
      if (type_of(e) == "comment") continue;
      NodeId v = lower_expr(b, e);
      if (v != kNoNode) a.pos.push_back(v);
    }
    return a;
  }

  // --- statements ---------------------------------------------------------------------------

  void collect_assigned(TSNode n, std::vector<std::string>& out) {
    if (ts_node_is_null(n)) return;
    std::vector<TSNode> stack{n};
    auto root_ident = [&](TSNode x) -> std::string {
      for (int g = 0; g < 16 && !ts_node_is_null(x); ++g) {
        std::string_view t = type_of(x);
        if (t == "identifier") return text(x);
        if (t == "subscript_expression" || t == "pointer_expression" || t == "parenthesized_expression")
          x = ts_node_is_null(field(x, "argument")) ? named(x, 0) : field(x, "argument");
        else if (t == "call_expression") {
          TSNode f = field(x, "function");
          if (type_of(f) != "field_expression") return {};
          x = field(f, "argument");
        } else if (t == "field_expression") {
          // this->w = ... / w.x = ...: a member, or a field of a local struct
          TSNode arg = field(x, "argument");
          if (type_of(arg) == "this") return text(field(x, "field"));
          x = arg;
        } else
          return {};
      }
      return {};
    };
    while (!stack.empty()) {
      TSNode c = stack.back();
      stack.pop_back();
      std::string_view t = type_of(c);
      if (t == "lambda_expression") continue;
      if (t == "assignment_expression") out.push_back(root_ident(field(c, "left")));
      if (t == "update_expression") out.push_back(root_ident(field(c, "argument")));
      if (t == "call_expression") {
        TSNode f = field(c, "function");
        if (type_of(f) == "field_expression") {
          std::string m = text(field(f, "field"));
          if (!m.empty() && m.back() == '_') out.push_back(root_ident(field(f, "argument")));
        }
      }
      for (uint32_t i = 0, k = named_count(c); i < k; ++i) stack.push_back(named(c, i));
    }
  }

  void lower_statement(FnBuilder& b, TSNode s) {
    if (ts_node_is_null(s)) return;
    if (!b.check_depth(loc(s))) return;
    ++b.depth;
    std::string_view t = type_of(s);
    if (t == "compound_statement") {
      b.push_scope();
      for (uint32_t i = 0, c = named_count(s); i < c; ++i) lower_statement(b, named(s, i));
      b.pop_scope();
    } else if (t == "declaration") {
      lower_declaration(b, s);
    } else if (t == "expression_statement") {
      for (uint32_t i = 0, c = named_count(s); i < c; ++i) {
        TSNode e = named(s, i);
        if (type_of(e) == "comment") continue;
        b.statement(lower_expr(b, e));
      }
    } else if (t == "return_statement") {
      TSNode e = named(s, 0);
      NodeId v = ts_node_is_null(e) || type_of(e) == "comment" ? kNoNode : lower_expr(b, e);
      b.ret(v, loc(s));
    } else if (t == "if_statement") {
      b.push_scope();
      TSNode cc = field(s, "condition");
      TSNode init = field(cc, "initializer");
      if (!ts_node_is_null(init)) lower_statement(b, init);
      TSNode cv = field(cc, "value");
      NodeId cond = kNoNode;
      if (type_of(cv) == "declaration") {
        lower_declaration(b, cv);
        TSNode nm = declarator_name(field(cv, "declarator"));
        cond = b.read(text(nm), loc(cv));
      } else if (!ts_node_is_null(cv)) {
        cond = lower_expr(b, cv);
      } else {
        cond = lower_expr(b, named(cc, 0));
      }
      b.begin_if(cond, loc(s));
      lower_statement(b, field(s, "consequence"));
      TSNode alt = field(s, "alternative");
      if (!ts_node_is_null(alt)) {
        b.begin_else();
        for (uint32_t i = 0, c = named_count(alt); i < c; ++i) lower_statement(b, named(alt, i));
      }
      b.end_if(loc(s));
      b.pop_scope();
    } else if (t == "for_statement") {
      b.push_scope();
      TSNode init = field(s, "initializer");
      if (!ts_node_is_null(init)) {
        if (type_of(init) == "declaration")
          lower_declaration(b, init);
        else
          b.statement(lower_expr(b, init));
      }
      TSNode cond = field(s, "condition");
      NodeId head = ts_node_is_null(cond) ? b.constant(1, loc(s), "true") : lower_expr(b, cond);
      std::vector<std::string> assigned;
      collect_assigned(field(s, "body"), assigned);
      collect_assigned(field(s, "update"), assigned);
      b.begin_loop("for", head, assigned, loc(s));
      lower_statement(b, field(s, "body"));
      TSNode upd = field(s, "update");
      if (!ts_node_is_null(upd)) b.statement(lower_expr(b, upd));
      b.end_loop();
      b.pop_scope();
    } else if (t == "for_range_loop") {
      b.push_scope();
      TSNode init = field(s, "initializer");
      if (!ts_node_is_null(init)) lower_statement(b, init);
      NodeId iter = lower_expr(b, field(s, "right"));
      std::vector<std::string> assigned;
      collect_assigned(field(s, "body"), assigned);
      b.begin_loop("for", iter, assigned, loc(s));
      NodeId item = b.emit("iter_item", {iter}, loc(s));
      TSNode d = field(s, "declarator");
      bind_declarator(b, d, item, text(field(s, "type")), loc(s));
      lower_statement(b, field(s, "body"));
      b.end_loop();
      b.pop_scope();
    } else if (t == "while_statement" || t == "do_statement") {
      TSNode cc = field(s, "condition");
      TSNode cv = type_of(cc) == "condition_clause" ? field(cc, "value") : cc;
      if (type_of(cc) == "parenthesized_expression") cv = named(cc, 0);
      NodeId head = lower_expr(b, cv);
      std::vector<std::string> assigned;
      collect_assigned(field(s, "body"), assigned);
      b.begin_loop("while", head, assigned, loc(s));
      lower_statement(b, field(s, "body"));
      b.end_loop();
    } else if (t == "switch_statement") {
      TSNode cc = field(s, "condition");
      NodeId cond = lower_expr(b, type_of(cc) == "condition_clause" ? field(cc, "value") : cc);
      b.begin_if(cond, loc(s));
      lower_statement(b, field(s, "body"));
      b.end_if(loc(s));
    } else if (t == "case_statement") {
      for (uint32_t i = 0, c = named_count(s); i < c; ++i) {
        TSNode ch = named(s, i);
        const char* f = field_name_at(s, i);
        (void)f;
        std::string_view ct = type_of(ch);
        if (ct.find("statement") != std::string_view::npos || ct == "declaration") lower_statement(b, ch);
      }
    } else if (t == "try_statement") {
      lower_statement(b, field(s, "body"));
      for (uint32_t i = 0, c = named_count(s); i < c; ++i) {
        TSNode ch = named(s, i);
        if (type_of(ch) == "catch_clause") lower_statement(b, field(ch, "body"));
      }
    } else if (t == "labeled_statement" || t == "attributed_statement") {
      for (uint32_t i = 0, c = named_count(s); i < c; ++i) {
        TSNode ch = named(s, i);
        std::string_view ct = type_of(ch);
        if (ct != "statement_identifier" && ct != "attribute_declaration") lower_statement(b, ch);
      }
    } else if (t == "throw_statement") {
      TSNode e = named(s, 0);
      if (!ts_node_is_null(e)) b.statement(lower_expr(b, e));
    } else if (t == "preproc_if" || t == "preproc_ifdef" || t == "preproc_else" || t == "preproc_elif" ||
               t == "ERROR") {
      for (uint32_t i = 0, c = named_count(s); i < c; ++i) {
        TSNode ch = named(s, i);
        std::string_view ct = type_of(ch);
        if (ct.find("statement") != std::string_view::npos || ct == "declaration" || ct.find("preproc_") == 0 ||
            ct == "ERROR")
          lower_statement(b, ch);
        else if (t == "ERROR" && ct != "comment" && ct != "identifier")
          b.statement(lower_expr(b, ch));
      }
    } else if (t == "class_specifier" || t == "struct_specifier" || t == "type_definition" ||
               t == "alias_declaration" || t == "using_declaration" || t == "static_assert_declaration" ||
               t == "comment" || t == "break_statement" || t == "continue_statement" || t == "goto_statement") {
      // no dataflow
    } else {
      // An expression where a statement was expected (parse recovery).
      b.statement(lower_expr(b, s));
    }
    --b.depth;
  }

  void bind_declarator(FnBuilder& b, TSNode d, NodeId v, const std::string& type, const ir::Loc& at) {
    if (type_of(d) == "structured_binding_declarator") {
      int idx = 0;
      for (uint32_t i = 0, c = named_count(d); i < c; ++i) {
        TSNode e = named(d, i);
        if (type_of(e) != "identifier") continue;
        fc_.note_identifier(text(e), loc(e));
        NodeId k = b.constant(idx++, loc(e));
        NodeId item = b.subscript(v, k, loc(e));
        b.declare(text(e), item);
      }
      return;
    }
    TSNode nm = declarator_name(d);
    if (ts_node_is_null(nm)) return;
    fc_.note_identifier(text(nm), loc(nm));
    Kind k = kind_of_type(fc_, type + (text(d).find('*') != std::string::npos ? "*" : ""));
    b.declare(text(nm), v, k);
    (void)at;
  }

  void lower_declaration(FnBuilder& b, TSNode s) {
    TSNode ty = field(s, "type");
    std::string type = text(ty);
    for (uint32_t i = 0, c = child_count(s); i < c; ++i) {
      const char* f = field_name_at(s, i);
      if (!f || std::strcmp(f, "declarator") != 0) continue;
      TSNode d = child_at(s, i);
      if (type_of(d) == "function_declarator") {
        // `torch::Tensor y(x.relu());` parses as a function declaration when ambiguous.
        TSNode nm = field(d, "declarator");
        TSNode params = field(d, "parameters");
        bool looks_like_call = false;
        for (uint32_t j = 0, k = named_count(params); j < k; ++j) {
          std::string_view pt = type_of(named(params, j));
          if (pt != "parameter_declaration" && pt != "optional_parameter_declaration")
            looks_like_call = true;
          else if (ts_node_is_null(field(named(params, j), "declarator")))
            looks_like_call = true;
        }
        if (!looks_like_call || type_of(nm) != "identifier") continue;
        Args a;
        for (uint32_t j = 0, k = named_count(params); j < k; ++j) {
          TSNode p = named(params, j);
          TSNode e = type_of(p) == "parameter_declaration" ? field(p, "type") : p;
          NodeId v = type_of(e) == "type_identifier" ? b.read(text(e), loc(e)) : lower_expr(b, e);
          if (v != kNoNode) a.pos.push_back(v);
        }
        NodeId v = construct_declared(b, type, std::move(a), loc(d));
        bind_declarator(b, nm, v, type, loc(d));
        continue;
      }
      if (type_of(d) == "init_declarator") {
        TSNode inner = field(d, "declarator");
        TSNode value = field(d, "value");
        NodeId v;
        std::string_view vt = type_of(value);
        if (vt == "argument_list" || (vt == "initializer_list" && !is_auto(type))) {
          Args a = lower_args(b, value);
          v = construct_declared(b, type, std::move(a), loc(d));
        } else {
          v = lower_expr(b, value);
        }
        bind_declarator(b, inner, v, type, loc(d));
        continue;
      }
      // No initializer: `torch::Tensor y;`, `int i;`, `torch::NoGradGuard g;`
      TSNode nm = declarator_name(d);
      if (ts_node_is_null(nm)) continue;
      if (type_of(d) == "structured_binding_declarator") continue;
      Kind k = kind_of_type(fc_, type);
      NodeId v = kNoNode;
      if (const ClassInfo* ci = fc_.cls(type.substr(type.rfind(':') == std::string::npos ? 0 : type.rfind(':') + 1));
          ci && ci->is_module)
        v = b.construct(type, {}, loc(s));
      else if (k == Kind::Tensor || k == Kind::Scalar || k == Kind::Ggml)
        v = b.none(loc(s));
      else
        continue;
      bind_declarator(b, d, v, type, loc(s));
    }
  }

  static bool is_auto(const std::string& type) { return type.find("auto") != std::string::npos; }

  NodeId construct_declared(FnBuilder& b, const std::string& type, Args a, const ir::Loc& at) {
    Kind k = kind_of_type(fc_, type);
    if (is_auto(type) || k == Kind::Unknown || k == Kind::Other) {
      if (a.pos.size() == 1 && a.kw.empty() && k != Kind::Other) return a.pos[0];
      if (k == Kind::Unknown && !fc_.cls(type)) return a.pos.empty() ? b.none(at) : b.tuple(a.pos, at, "list");
    }
    return b.construct(type, std::move(a), at);
  }

  // --- expressions --------------------------------------------------------------------------

  NodeId lower_expr(FnBuilder& b, TSNode n) {
    if (ts_node_is_null(n)) return kNoNode;
    if (!b.check_depth(loc(n))) return b.unknown({}, loc(n), "too deep");
    ++b.depth;
    NodeId r = lower_expr_inner(b, n);
    --b.depth;
    return r;
  }

  std::string arrow_of(TSNode fe) {
    TSNode op = field(fe, "operator");
    return text(op);
  }

  // A name with template arguments: std::get<0> -> ("std::get", {"0"}).
  void split_template(TSNode n, std::string& name, std::vector<std::string>& targs) {
    std::string_view t = type_of(n);
    if (t == "template_function" || t == "template_method" || t == "template_type") {
      name = text(field(n, "name"));
      TSNode al = field(n, "arguments");
      for (uint32_t i = 0, c = named_count(al); i < c; ++i) targs.push_back(strip(text(named(al, i))));
      return;
    }
    if (t == "qualified_identifier") {
      TSNode scope = field(n, "scope");
      TSNode nm = field(n, "name");
      std::string inner;
      split_template(nm, inner, targs);
      std::string sc = text(scope);
      name = sc.empty() ? inner : sc + "::" + inner;
      return;
    }
    name = strip(text(n));
  }

  NodeId lower_expr_inner(FnBuilder& b, TSNode n) {
    std::string_view t = type_of(n);
    ir::Loc at = loc(n);
    if (t == "identifier") {
      std::string name = text(n);
      fc_.note_identifier(name, at);
      return b.read(name, at);
    }
    if (t == "this") {
      if (b.self() != kNoNode) return b.self();
      return b.emit("free", {}, at, "self");
    }
    if (t == "qualified_identifier") {
      std::string name;
      std::vector<std::string> targs;
      split_template(n, name, targs);
      return b.read_qualified(name, at);
    }
    if (t == "number_literal" || t == "user_defined_literal") {
      std::string s = text(n);
      if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        // tree-sitter folds the sign into the literal; Clang (and Python) see a unary operator.
        ir::Loc lit = at;
        lit.col += 1;
        NodeId c = b.constant(parse_number(s.substr(1)).value_or(0), lit, s.substr(1));
        return b.unary(s.substr(0, 1), c, at);
      }
      auto v = parse_number(s);
      return b.constant(v.value_or(0), at, s);
    }
    if (t == "char_literal") {
      std::string s = text(n);
      double v = s.size() >= 3 ? static_cast<unsigned char>(s[1]) : 0;
      return b.constant(v, at, s);
    }
    if (t == "string_literal" || t == "raw_string_literal" || t == "concatenated_string") {
      return b.string_const(string_content(n), at);
    }
    if (t == "true") return b.constant(1, at, "true");
    if (t == "false") return b.constant(0, at, "false");
    if (t == "null") return b.none(at);
    if (t == "parenthesized_expression") return lower_expr(b, named(n, 0));
    if (t == "binary_expression") {
      NodeId l = lower_expr(b, field(n, "left"));
      NodeId r = lower_expr(b, field(n, "right"));
      return b.binary(text(field(n, "operator")), l, r, at);
    }
    if (t == "unary_expression") {
      NodeId a = lower_expr(b, field(n, "argument"));
      return b.unary(text(field(n, "operator")), a, at);
    }
    if (t == "pointer_expression") return lower_expr(b, field(n, "argument"));
    if (t == "update_expression") {
      std::string s = text(n);
      TSNode arg = field(n, "argument");
      // (`--(--(--x))`: lower_target lowers what it cannot assign as a statement, so testing it
      // first and then lowering the value would lower each level twice, 2^depth nodes)
      if (!assignable(arg)) return lower_expr(b, arg);
      Target tg = lower_target(b, arg);
      NodeId one = b.constant(1, at, "1");
      bool dec = s.find("--") != std::string::npos;
      if (tg.kind == Target::None) return lower_expr(b, arg);
      return b.compound(tg, dec ? "-" : "+", one, at);
    }
    if (t == "assignment_expression") {
      std::string op = text(field(n, "operator"));
      TSNode left = field(n, "left");
      TSNode right = field(n, "right");
      Target tg = lower_target(b, left);
      NodeId rhs = type_of(right) == "initializer_list" ? b.tuple(lower_args(b, right).pos, loc(right), "list")
                                                        : lower_expr(b, right);
      if (op == "=") {
        if (tg.kind == Target::None) return rhs;
        b.store(tg, rhs, at);
        return rhs;
      }
      std::string tok = op.substr(0, op.size() - 1);
      if (tg.kind == Target::None) return rhs;
      return b.compound(tg, tok, rhs, at);
    }
    if (t == "conditional_expression") {
      NodeId c = lower_expr(b, field(n, "condition"));
      NodeId x = lower_expr(b, field(n, "consequence"));
      NodeId y = lower_expr(b, field(n, "alternative"));
      return b.select(c, x, y, at);
    }
    if (t == "comma_expression") {
      b.statement(lower_expr(b, field(n, "left")));
      return lower_expr(b, field(n, "right"));
    }
    if (t == "call_expression") return lower_call(b, n);
    if (t == "field_expression") {
      TSNode arg = field(n, "argument");
      std::string f = text(field(n, "field"));
      fc_.note_identifier(f, loc(field(n, "field")));
      if (type_of(arg) == "this") return b.self_member(f, at);
      NodeId o = lower_expr(b, arg);
      return b.member(o, f, at);
    }
    if (t == "subscript_expression") {
      NodeId base = lower_expr(b, field(n, "argument"));
      TSNode idx = field(n, "indices");
      std::vector<NodeId> items;
      for (uint32_t i = 0, c = named_count(idx); i < c; ++i) items.push_back(lower_expr(b, named(idx, i)));
      if (ts_node_is_null(idx)) items.push_back(lower_expr(b, field(n, "index")));
      NodeId index = items.size() == 1 ? items[0] : b.tuple(items, loc(idx));
      return b.subscript(base, index, at);
    }
    if (t == "initializer_list") {
      Args a = lower_args(b, n);
      return b.tuple(a.pos, at, "list");
    }
    if (t == "lambda_expression") return lower_lambda(b, n);
    if (t == "cast_expression") return b.cast(lower_expr(b, field(n, "value")), text(field(n, "type")), at);
    if (t == "new_expression") {
      Args a = lower_args(b, field(n, "arguments"));
      return b.construct(strip(text(field(n, "type"))), std::move(a), at);
    }
    if (t == "compound_literal_expression") {
      Args a = lower_args(b, field(n, "value"));
      return b.construct(strip(text(field(n, "type"))), std::move(a), at);
    }
    if (t == "template_function") {
      std::string name;
      std::vector<std::string> targs;
      split_template(n, name, targs);
      return b.read_qualified(name, at);
    }
    if (t == "sizeof_expression" || t == "alignof_expression") return b.unknown({}, at, std::string(t));
    if (t == "delete_expression") return lower_expr(b, named(n, 0));
    if (t == "comment") return kNoNode;
    // Unknown expression kinds (including ERROR nodes): keep their operands visible.
    std::vector<NodeId> args;
    for (uint32_t i = 0, c = named_count(n); i < c; ++i) {
      TSNode ch = named(n, i);
      std::string_view ct = type_of(ch);
      if (ct == "comment" || ct == "primitive_type" || ct == "type_identifier") continue;
      NodeId a = lower_expr(b, ch);
      if (a != kNoNode) args.push_back(a);
    }
    return b.unknown(std::move(args), at, std::string(t));
  }

  // Whether lower_target makes an assignment target of `n` (rather than lowering it as a statement).
  bool assignable(TSNode n) const {
    std::string_view t = type_of(n);
    if (t == "identifier" || t == "field_expression" || t == "subscript_expression") return true;
    if (t == "parenthesized_expression" || t == "pointer_expression")
      return assignable(ts_node_is_null(field(n, "argument")) ? named(n, 0) : field(n, "argument"));
    if (t == "call_expression") {
      TSNode f = field(n, "function");
      return type_of(f) == "field_expression" && text(field(f, "field")) == "index";
    }
    return false;
  }

  Target lower_target(FnBuilder& b, TSNode n) {
    std::string_view t = type_of(n);
    ir::Loc at = loc(n);
    if (t == "identifier") {
      fc_.note_identifier(text(n), at);
      return b.target_var(text(n), at);
    }
    if (t == "parenthesized_expression" || t == "pointer_expression")
      return lower_target(b, ts_node_is_null(field(n, "argument")) ? named(n, 0) : field(n, "argument"));
    if (t == "field_expression") {
      TSNode arg = field(n, "argument");
      std::string f = text(field(n, "field"));
      if (type_of(arg) == "this") {
        Target tg = b.target_var(f, at);
        if (tg.kind == Target::Member) return tg;
        NodeId self = b.self() != kNoNode ? b.self() : lower_expr(b, arg);
        return b.target_member(self, f, at);
      }
      return b.target_member(lower_expr(b, arg), f, at);
    }
    if (t == "subscript_expression") {
      TSNode arg = field(n, "argument");
      NodeId base = lower_expr(b, arg);
      TSNode idx = field(n, "indices");
      std::vector<NodeId> items;
      for (uint32_t i = 0, c = named_count(idx); i < c; ++i) items.push_back(lower_expr(b, named(idx, i)));
      NodeId index = items.size() == 1 ? items[0] : b.tuple(items, loc(idx));
      std::string root = type_of(arg) == "identifier" ? text(arg) : std::string();
      return b.target_index(base, index, root, at);
    }
    if (t == "call_expression") {
      // y.index({Slice(), 3}) = v  ->  y[:, 3] = v
      TSNode f = field(n, "function");
      if (type_of(f) == "field_expression" && text(field(f, "field")) == "index") {
        TSNode arg = field(f, "argument");
        NodeId base = lower_expr(b, arg);
        Args a = lower_args(b, field(n, "arguments"));
        NodeId idx = a.pos.empty() ? kNoNode : a.pos[0];
        if (idx != kNoNode) {
          ir::Node& in = b.fn().node(idx);
          if ((in.op == "list" || in.op == "tuple") && in.args.size() == 1)
            idx = in.args[0];
          else if (in.op == "list")
            in.op = "tuple";
        }
        std::string root = type_of(arg) == "identifier" ? text(arg) : std::string();
        return b.target_index(base, idx, root, at);
      }
    }
    b.statement(lower_expr(b, n));
    return Target{};
  }

  NodeId lower_call(FnBuilder& b, TSNode n) {
    TSNode fnode = field(n, "function");
    TSNode arglist = field(n, "arguments");
    std::string_view ft = type_of(fnode);
    ir::Loc at = loc(n);
    if (ft == "field_expression") {
      TSNode recv_node = field(fnode, "argument");
      TSNode fld = field(fnode, "field");
      std::string method;
      std::vector<std::string> targs;
      split_template(fld, method, targs);
      fc_.note_identifier(method, loc(fld));
      bool arrow = arrow_of(fnode) == "->";
      if (type_of(recv_node) == "this") {
        // this->conv1(x) cannot happen; this->helper(x) / this->register_module(...)
        if (b.owner() && b.owner()->field(method)) {
          NodeId callee = b.self_member(method, loc(fnode));
          return b.call_value(callee, Kind::Unknown, lower_args(b, arglist), at);
        }
        return b.call_self_method(method, lower_args(b, arglist), at);
      }
      NodeId recv = lower_expr(b, recv_node);
      std::string recv_var = type_of(recv_node) == "identifier" ? text(recv_node) : std::string();
      Args a = lower_args(b, arglist);
      if (method == "index" || method == "index_put_") {
        if (!a.pos.empty()) {
          ir::Node& in = b.fn().node(a.pos[0]);
          if (in.op == "list") in.op = "tuple";
        }
      }
      if (method == "item" || method == "to" || method == "template") (void)targs;
      return b.call_method(recv, Kind::Unknown, method, std::move(a), at, arrow, recv_var);
    }
    if (ft == "identifier") {
      std::string name = text(fnode);
      fc_.note_identifier(name, loc(fnode));
      if (b.is_local(name))
        return b.call_value(b.read(name, loc(fnode)), b.kind_of_var(name), lower_args(b, arglist), at);
      if (const ClassInfo* o = b.owner()) {
        if (o->field(name) || b.member_kind(name) != Kind::Unknown) {
          NodeId callee = b.self_member(name, loc(fnode));
          return b.call_value(callee, Kind::Unknown, lower_args(b, arglist), at);
        }
        bool method = o->methods.count(name) != 0;
        for (const auto& base : o->bases) {
          const ClassInfo* bc = fc_.cls(base.substr(base.rfind('.') == std::string::npos ? 0 : base.rfind('.') + 1));
          if (bc && bc->methods.count(name)) method = true;
        }
        if (method || (o->is_module && is_module_api(name)))
          return b.call_self_method(name, lower_args(b, arglist), at);
      }
      if (name == "TORCH_CHECK" || name == "AT_ASSERT" || name == "assert") {
        Args a = lower_args(b, arglist);
        return b.emit("assert", a.pos, at);
      }
      return b.call_free(name, lower_args(b, arglist), at);
    }
    if (ft == "qualified_identifier" || ft == "template_function") {
      std::string name;
      std::vector<std::string> targs;
      split_template(fnode, name, targs);
      std::string simple = name.substr(name.rfind("::") == std::string::npos ? 0 : name.rfind("::") + 2);
      if (simple == "static_cast" || simple == "dynamic_cast" || simple == "reinterpret_cast" ||
          simple == "const_cast") {
        Args a = lower_args(b, arglist);
        return a.pos.empty() ? b.none(at) : b.cast(a.pos[0], targs.empty() ? "" : targs[0], at);
      }
      // Base::forward(x) / Base::helper(x) inside a method.
      if (name.find("::") != std::string::npos && b.owner()) {
        std::string scope = name.substr(0, name.rfind("::"));
        std::string scope_simple = scope.substr(scope.rfind("::") == std::string::npos ? 0 : scope.rfind("::") + 2);
        const ClassInfo* sc = fc_.cls(scope_simple);
        if (sc && sc->methods.count(simple)) return b.call_self_method(simple, lower_args(b, arglist), at);
      }
      if (name.find("::") == std::string::npos && b.is_local(name))
        return b.call_value(b.read(name, loc(fnode)), Kind::Unknown, lower_args(b, arglist), at);
      return b.call_free(name, lower_args(b, arglist), at, targs);
    }
    if (ft == "primitive_type" || ft == "type_identifier" || ft == "sized_type_specifier") {
      // float(x), Block(3)
      Args a = lower_args(b, arglist);
      std::string type = text(fnode);
      if (ft == "type_identifier") return b.construct(type, std::move(a), at);
      return a.pos.empty() ? b.constant(0, at, type) : b.cast(a.pos[0], type, at);
    }
    if (ft == "parenthesized_expression" || ft == "pointer_expression") {
      // (*conv1)(x)
      TSNode inner = ft == "pointer_expression" ? field(fnode, "argument") : named(fnode, 0);
      if (type_of(inner) == "pointer_expression") inner = field(inner, "argument");
      NodeId callee = lower_expr(b, inner);
      return b.call_value(callee, Kind::Unknown, lower_args(b, arglist), at);
    }
    NodeId callee = lower_expr(b, fnode);
    return b.call_value(callee, Kind::Unknown, lower_args(b, arglist), at);
  }

  NodeId lower_lambda(FnBuilder& b, TSNode n) {
    ir::Loc at = loc(n);
    int32_t id = fc_.new_function("<lambda>", "<lambda>", -1, b.fn_id(), at, false);
    {
      ir::Function& f = fc_.prog.functions[static_cast<size_t>(id)];
      f.qualname = b.fn().qualname + ".<lambda>";
    }
    FnBuilder sub(fc_, id, b.owner(), &b);
    sub.depth = b.depth;
    TSNode decl = field(n, "declarator");
    lower_params(sub, field(decl, "parameters"), false);
    lower_statement(sub, field(n, "body"));
    return b.lambda_value(id, at);
  }

  std::string string_content(TSNode n) {
    std::string out;
    std::vector<TSNode> stack{n};
    if (type_of(n) == "concatenated_string") {
      stack.clear();
      for (uint32_t i = named_count(n); i-- > 0;) stack.push_back(named(n, i));
    }
    while (!stack.empty()) {
      TSNode c = stack.back();
      stack.pop_back();
      std::string_view t = type_of(c);
      if (t == "string_literal") {
        for (uint32_t i = 0, k = named_count(c); i < k; ++i) {
          TSNode ch = named(c, i);
          std::string_view ct = type_of(ch);
          if (ct == "string_content")
            out += text(ch);
          else if (ct == "escape_sequence")
            out += unescape(text(ch));
        }
      } else if (t == "raw_string_literal") {
        for (uint32_t i = 0, k = named_count(c); i < k; ++i) {
          TSNode ch = named(c, i);
          if (type_of(ch) == "raw_string_content") out += text(ch);
        }
      }
    }
    return out;
  }

  static std::string unescape(const std::string& e) {
    if (e.size() < 2) return e;
    switch (e[1]) {
      case 'n':
        return "\n";
      case 't':
        return "\t";
      case '0':
        return std::string(1, '\0');
      case '\\':
        return "\\";
      case '"':
        return "\"";
      case '\'':
        return "'";
      default:
        return e.substr(1);
    }
  }

 public:
  static std::optional<double> parse_number(std::string s) {
    std::string clean;
    for (char ch : s)
      if (ch != '\'') clean += ch;
    bool hex = clean.size() > 2 && clean[0] == '0' && (clean[1] == 'x' || clean[1] == 'X');
    bool bin = clean.size() > 2 && clean[0] == '0' && (clean[1] == 'b' || clean[1] == 'B');
    // Strip integer / float suffixes.
    while (!clean.empty()) {
      char c = clean.back();
      if (c == 'u' || c == 'U' || c == 'l' || c == 'L' || c == 'z' || c == 'Z' || (!hex && (c == 'f' || c == 'F')))
        clean.pop_back();
      else
        break;
    }
    if (clean.empty()) return std::nullopt;
    if (hex) return static_cast<double>(std::strtoull(clean.c_str() + 2, nullptr, 16));
    if (bin) return static_cast<double>(std::strtoull(clean.c_str() + 2, nullptr, 2));
    if (clean.size() > 1 && clean[0] == '0' && clean.find_first_of(".eE") == std::string::npos)
      return static_cast<double>(std::strtoull(clean.c_str(), nullptr, 8));
    char* end = nullptr;
    double v = std::strtod(clean.c_str(), &end);
    return v;
  }

 private:
  FileCtx& fc_;
  const std::string& src_;
  std::vector<Job> jobs_;
};

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};

TSParser* thread_parser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
    ts_parser_set_language(p.get(), tree_sitter_cpp());
    return p;
  }();
  return parser.get();
}

TSNode first_error(TSNode root) {
  TSTreeCursor cur = ts_tree_cursor_new(root);
  TSNode found{};
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      found = n;
      break;
    }
    if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cur)) continue;
    bool moved = false;
    while (!moved) {
      if (ts_tree_cursor_goto_next_sibling(&cur))
        moved = true;
      else if (!ts_tree_cursor_goto_parent(&cur))
        break;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cur);
  return found;
}

}  // namespace

void lower_syntactic(ir::Program& prog, const Options& opts) {
  ir::SourceFile& file = prog.files[0];
  file.mode = "syntactic";
  TSParser* parser = thread_parser();
  TSTree* tree = nullptr;
  {
    const ParseTimer timer(opts.parse_ns);
    tree = ts_parser_parse_string(parser, nullptr, file.text.data(), static_cast<uint32_t>(file.text.size()));
  }
  if (!tree) {
    file.status = ir::FileStatus::Error;
    file.message = "tree-sitter could not parse the file";
    return;
  }
  TSNode root = ts_tree_root_node(tree);
  ChildLists children;
  t_children = &children;
  struct Reset {
    ~Reset() { t_children = nullptr; }
  } reset;
  FileCtx fc(prog, opts);
  Syntax syn(fc, file.text);
  syn.run(root);
  if (ts_node_has_error(root)) {
    TSNode e = first_error(root);
    TSPoint p = ts_node_start_point(ts_node_is_null(e) ? root : e);
    file.status = ir::FileStatus::Partial;
    std::string m = fmt::format("syntax error at {}:{}; the rest of the file was analysed", p.row + 1, p.column + 1);
    file.message = file.message.empty() ? m : file.message + "; " + m;
  }
  if (fc.too_deep) {
    file.status = ir::FileStatus::Partial;
    std::string m = fmt::format("nesting deeper than {} levels at {}:{} was not analysed", opts.max_depth,
                                fc.too_deep_loc.line, fc.too_deep_loc.col);
    file.message = file.message.empty() ? m : file.message + "; " + m;
  }
  ts_tree_delete(tree);
}

}  // namespace archscan::frontend::cpp
