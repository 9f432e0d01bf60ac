// The Python front-end: parses a file with tree-sitter-python and lowers it into the model IR.
#include <tree_sitter/api.h>

#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

#include "frontend/python/py_lower.h"
#include "frontend/python/ts_util.h"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace archscan::frontend::python {

std::string_view FileContext::written(TSNode n) const {
  if (ts_node_is_null(n)) return {};
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (a > src.size() || b > src.size() || b < a) return {};
  return std::string_view(src).substr(a, b - a);
}

std::string_view FileContext::text(TSNode n) const {
  std::string_view v = written(n);
  if (std::none_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) ||
      std::string_view(ts_node_type(n)) != "identifier")
    return v;
  utf8proc_uint8_t* nfkc = utf8proc_NFKC(reinterpret_cast<const utf8proc_uint8_t*>(std::string(v).c_str()));
  if (!nfkc) return v;  // not valid UTF-8: as written
  normalized_identifiers.emplace_back(reinterpret_cast<const char*>(nfkc));
  std::free(nfkc);
  return normalized_identifiers.back();
}

ir::Loc FileContext::loc(TSNode n) const {
  ir::Loc l;
  if (ts_node_is_null(n)) return l;
  TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
  l.file = 0;
  l.line = static_cast<int32_t>(s.row) + 1;
  l.col = static_cast<int32_t>(s.column) + 1;
  l.end_line = static_cast<int32_t>(e.row) + 1;
  l.end_col = static_cast<int32_t>(e.column) + 1;
  return l;
}

void FileContext::note_identifier(TSNode n) {
  if (ts_node_is_null(n)) return;
  std::string name(written(n));  // as written: CN001 looks at the letters a reader sees
  if (name.empty() || !seen_identifiers.insert(name).second) return;
  if (std::string_view read = text(n); read != name) file().normalized_identifiers.emplace(name, read);
  file().identifiers.emplace_back(std::move(name), loc(n));
}

std::string FileContext::resolve_global(const std::string& name) const {
  auto it = import_alias.find(name);
  if (it != import_alias.end()) return it->second;
  if (toplevel_defs.count(name)) return prog.files[0].module_name + "." + name;
  return name;  // builtin or unknown
}

namespace {

// The package a relative import is resolved against.
std::string package_of(const ir::SourceFile& f) {
  if (f.is_package_init) return f.module_name;
  auto pos = f.module_name.rfind('.');
  return pos == std::string::npos ? std::string() : f.module_name.substr(0, pos);
}

std::string resolve_relative(const ir::SourceFile& f, std::string_view rel) {
  size_t dots = 0;
  while (dots < rel.size() && rel[dots] == '.') ++dots;
  std::string base = package_of(f);
  for (size_t i = 1; i < dots; ++i) {
    auto pos = base.rfind('.');
    base = pos == std::string::npos ? std::string() : base.substr(0, pos);
  }
  std::string rest(rel.substr(dots));
  if (base.empty()) return rest;
  return rest.empty() ? base : base + "." + rest;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_import(const FileContext& fc, TSNode s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view t = node_type(s);
  if (t == "import_statement") {
    for (uint32_t i = 0, c = ts_node_named_child_count(s); i < c; ++i) {
      TSNode n = ts_node_named_child(s, i);
      std::string_view nt = node_type(n);
      if (nt == "aliased_import") {
        out.emplace_back(std::string(fc.text(ts_node_child_by_field_name(n, "alias", 5))),
                         std::string(fc.text(ts_node_child_by_field_name(n, "name", 4))));
      } else if (nt == "dotted_name") {
        std::string full(fc.text(n));
        out.emplace_back(full.substr(0, full.find('.')), full.substr(0, full.find('.')));
      }
    }
    return out;
  }
  if (t != "import_from_statement") return out;
  TSNode mod = ts_node_child_by_field_name(s, "module_name", 11);
  std::string base = std::string(node_type(mod)) == "relative_import" ? resolve_relative(fc.prog.files[0], fc.text(mod))
                                                                      : std::string(fc.text(mod));
  auto join = [&](std::string_view n) { return base.empty() ? std::string(n) : base + "." + std::string(n); };
  for (uint32_t i = 0, c = ts_node_child_count(s); i < c; ++i) {
    TSNode n = ts_node_child(s, i);
    std::string_view nt = node_type(n);
    if (nt == "wildcard_import") {
      out.emplace_back("*", base);
      continue;
    }
    const char* f = ts_node_field_name_for_child(s, i);
    if (!f || std::string_view(f) != "name") continue;
    if (nt == "aliased_import") {
      out.emplace_back(std::string(fc.text(ts_node_child_by_field_name(n, "alias", 5))),
                       join(fc.text(ts_node_child_by_field_name(n, "name", 4))));
    } else {
      out.emplace_back(std::string(fc.text(n)), join(fc.text(n)));
    }
  }
  return out;
}

int32_t lower_function(FileContext& fc, TSNode def, const std::string& qual_prefix, const FunctionLowerer* parent,
                       int32_t owner_module, const std::unordered_set<std::string>* class_methods) {
  std::vector<std::string> decorators;
  ir::Loc decorator_loc;
  if (std::string_view(node_type(def)) == "decorated_definition") {
    for (uint32_t i = 0, c = ts_node_named_child_count(def); i < c; ++i) {
      TSNode d = ts_node_named_child(def, i);
      if (std::string_view(node_type(d)) == "decorator") {
        if (!decorator_loc.valid()) decorator_loc = fc.loc(d);
        std::string txt(fc.text(named_child(d, 0)));
        if (auto p = txt.find('('); p != std::string::npos) txt = txt.substr(0, p) + "()";
        decorators.push_back(txt);
      }
    }
    def = ts_node_child_by_field_name(def, "definition", 10);
  }
  int32_t id = static_cast<int32_t>(fc.prog.functions.size());
  fc.prog.functions.emplace_back();
  {
    ir::Function& f = fc.prog.functions.back();
    TSNode name = ts_node_child_by_field_name(def, "name", 4);
    fc.note_identifier(name);
    f.id = id;
    f.name = std::string(fc.text(name));
    f.qualname = qual_prefix.empty() ? f.name : qual_prefix + "." + f.name;
    f.file = 0;
    f.owner_module = owner_module;
    f.parent = parent ? parent->fn_id() : -1;
    f.decorators = std::move(decorators);
    f.decorator_loc = decorator_loc;
    f.loc = fc.loc(def);
    // A property's setter or deleter (`@x.setter def x(...)`) does not replace its getter as the
    // method of that name (the flat graph finds the setter by its decorator).
    const bool accessor = std::any_of(f.decorators.begin(), f.decorators.end(), [&](const std::string& d) {
      return d == f.name + ".setter" || d == f.name + ".deleter";
    });
    if (owner_module >= 0 && !accessor) fc.prog.modules[static_cast<size_t>(owner_module)].methods[f.name] = id;
  }
  // Static and class methods have no `self`: their first parameter is data (or the class).
  const auto& decos = fc.prog.functions[static_cast<size_t>(id)].decorators;
  bool no_self = std::find(decos.begin(), decos.end(), "staticmethod") != decos.end() ||
                 std::find(decos.begin(), decos.end(), "classmethod") != decos.end();
  FunctionLowerer low(fc, id, parent, no_self ? -1 : owner_module, class_methods);
  low.lower_params(ts_node_child_by_field_name(def, "parameters", 10));
  low.lower_block(ts_node_child_by_field_name(def, "body", 4));
  return id;
}

int32_t lower_class(FileContext& fc, TSNode def, const std::string& qual_prefix, const FunctionLowerer* parent) {
  if (std::string_view(node_type(def)) == "decorated_definition")
    def = ts_node_child_by_field_name(def, "definition", 10);
  int32_t mid = static_cast<int32_t>(fc.prog.modules.size());
  fc.prog.modules.emplace_back();
  TSNode body = ts_node_child_by_field_name(def, "body", 4);
  std::unordered_set<std::string> methods;
  {
    ir::Module& m = fc.prog.modules.back();
    TSNode name = ts_node_child_by_field_name(def, "name", 4);
    fc.note_identifier(name);
    m.id = mid;
    m.name = std::string(fc.text(name));
    m.qualname = qual_prefix.empty() ? m.name : qual_prefix + "." + m.name;
    m.file = 0;
    m.loc = fc.loc(def);
    TSNode supers = ts_node_child_by_field_name(def, "superclasses", 12);
    for (uint32_t i = 0, c = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers); i < c; ++i) {
      TSNode b = ts_node_named_child(supers, i);
      std::string_view bt = node_type(b);
      if (bt != "identifier" && bt != "attribute") continue;
      std::string txt(fc.text(b));
      auto dot = txt.find('.');
      std::string head = txt.substr(0, dot);
      std::string resolved = fc.resolve_global(head) + (dot == std::string::npos ? "" : txt.substr(dot));
      m.bases.push_back(resolved);
    }
    for (uint32_t i = 0, c = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body); i < c; ++i) {
      TSNode s = ts_node_named_child(body, i);
      if (std::string_view(node_type(s)) == "decorated_definition")
        s = ts_node_child_by_field_name(s, "definition", 10);
      if (std::string_view(node_type(s)) == "function_definition")
        methods.insert(std::string(fc.text(ts_node_child_by_field_name(s, "name", 4))));
    }
  }
  // The class body: methods become functions; other statements land in a "<class>" function.
  int32_t body_id = static_cast<int32_t>(fc.prog.functions.size());
  fc.prog.functions.emplace_back();
  {
    ir::Function& f = fc.prog.functions.back();
    f.id = body_id;
    f.name = "<class>";
    f.qualname = fc.prog.modules[static_cast<size_t>(mid)].qualname + ".<class>";
    f.file = 0;
    f.owner_module = mid;
    f.parent = parent ? parent->fn_id() : -1;
    f.loc = fc.loc(def);
  }
  FunctionLowerer low(fc, body_id, parent, mid, &methods);
  if (!ts_node_is_null(body)) low.lower_block(body);
  ir::Module& m = fc.prog.modules[static_cast<size_t>(mid)];
  m.body_function = body_id;
  // Field order (`x: int` / `x: int = 0` / `x = 0`): how positional constructor arguments of a
  // dataclass or NamedTuple map to names.
  for (uint32_t i = 0, c = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body); i < c; ++i) {
    TSNode s = ts_node_named_child(body, i);
    if (std::string_view(node_type(s)) != "expression_statement" || ts_node_named_child_count(s) == 0) continue;
    TSNode a = ts_node_named_child(s, 0);
    if (std::string_view(node_type(a)) != "assignment") continue;
    TSNode left = ts_node_child_by_field_name(a, "left", 4);
    if (!ts_node_is_null(left) && std::string_view(node_type(left)) == "identifier")
      m.fields.emplace_back(fc.text(left));
  }
  for (const auto& [name, node] : low.bindings()) m.class_vars.emplace(name, node);
  // `forward, fоrward = fоrward, forward` / `__call__ = forward` in the class body: the name is
  // bound to that function from now on, and that is the method instances get.
  const ir::Function& bf = fc.prog.functions[static_cast<size_t>(body_id)];
  for (const auto& binding : low.bindings()) {
    const std::string& name = binding.first;  // (clang 14 cannot capture a structured binding)
    ir::NodeId v = binding.second;
    for (int guard = 0; guard < 4 && v >= 0 && bf.node(v).op == "getitem" && bf.node(v).args.size() == 2; ++guard) {
      const ir::Node& seq = bf.node(bf.node(v).args[0]);
      const ir::Node& idx = bf.node(bf.node(v).args[1]);
      if ((seq.op != "tuple" && seq.op != "list") || !idx.num || *idx.num < 0 ||
          static_cast<size_t>(*idx.num) >= seq.args.size())
        break;
      v = seq.args[static_cast<size_t>(*idx.num)];
    }
    if (v < 0 || bf.node(v).op != "def" || bf.node(v).target_function < 0) continue;
    const ir::Function& target = fc.prog.functions[static_cast<size_t>(bf.node(v).target_function)];
    // (`@x.setter def x(...)` rebinds the name to the property; the getter stays the method)
    if (target.name == name && m.methods.count(name) &&
        std::any_of(target.decorators.begin(), target.decorators.end(),
                    [&](const std::string& d) { return d == name + ".setter" || d == name + ".deleter"; }))
      continue;
    m.methods[name] = bf.node(v).target_function;
  }
  return mid;
}

namespace {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};

TSParser* thread_parser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
    ts_parser_set_language(p.get(), tree_sitter_python());
    return p;
  }();
  return parser.get();
}

// First ERROR or MISSING node, found without recursion.
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

// Bytes covered by ERROR nodes (outermost ones) plus one per MISSING node: how much of the file
// did not parse.
size_t error_bytes(TSNode root) {
  size_t total = 0;
  TSTreeCursor cur = ts_tree_cursor_new(root);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    bool descend = false;
    if (ts_node_is_error(n))
      total += ts_node_end_byte(n) - ts_node_start_byte(n) + 1;
    else if (ts_node_is_missing(n))
      total += 1;
    else
      descend = ts_node_has_error(n);
    if (descend && ts_tree_cursor_goto_first_child(&cur)) continue;
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
  return total;
}

}  // namespace

namespace {

// The functions a `type()` namespace value can be: a function of the tree (`"forward": fn`), or
// any function a module-level mapping holds (`"forward": SCHEMES[kind]`, the key decided by the
// caller).
std::vector<int32_t> namespace_functions(const ir::Program& prog, const ir::SourceFile& file, const ir::Function& owner,
                                         const ir::Node& v) {
  if (v.target_function >= 0 && (v.op == "def" || v.op == "lambda" || v.op == "global")) return {v.target_function};
  if (v.op != "getitem" || v.args.size() != 2 || v.args[0] < 0) return {};
  const ir::Node& table = owner.node(v.args[0]);
  if (table.op != "global") return {};
  const std::string& dotted = table.name;
  const std::string name = dotted.substr(dotted.rfind('.') + 1);
  auto bound = file.globals.find(name);
  if (bound == file.globals.end() || (dotted != name && dotted != file.module_name + "." + name)) return {};
  const ir::Function& mf = prog.functions[static_cast<size_t>(file.module_function)];
  const ir::Node& d = mf.node(bound->second);
  std::vector<int32_t> out;
  if (d.op != "dict") return out;
  for (size_t k = 1; k < d.args.size() && out.size() < 8; k += 2)
    if (d.args[k] >= 0 && mf.node(d.args[k]).target_function >= 0) out.push_back(mf.node(d.args[k]).target_function);
  return out;
}

// The classes `type(name, (Base,), {"forward": fn, ...})` makes, as a class statement would: its
// bases, and its methods from the namespace's functions. A namespace entry chosen from a mapping
// makes one class per function it holds (each a configuration the caller can pick). A namespace
// entry `types.FunctionType(C.m.__code__, dict(globals(), name=other))` is C.m with the global `name`
// rebound to `other` (a copy of it whose calls of `name` call `other`).
std::vector<ir::Module> type_call_classes(ir::Program& prog, const ir::SourceFile& file, int32_t owner_id,
                                          const ir::Node& call, const std::string& name) {
  auto node = [&](ir::NodeId id) -> const ir::Node& { return prog.functions[static_cast<size_t>(owner_id)].node(id); };
  if (call.op != "call" || (call.name != "type" && call.name != "builtins.type") || call.args.size() != 3 ||
      call.args[1] < 0 || call.args[2] < 0)
    return {};
  // The namespace: a dict literal, a module-level name bound to one, or an entry of a module-level
  // table of them (`type(name, (Base,), SPECS["TowerHead"])`), when it sits in this function.
  ir::NodeId ns_id = call.args[2];
  for (int step = 0; step < 3 && node(ns_id).op != "dict"; ++step) {
    const ir::Node& x = node(ns_id);
    ir::NodeId next = ir::kNoNode;
    auto bound = [&](const ir::Node& g) -> ir::NodeId {
      if (g.op != "global" || owner_id != file.module_function) return ir::kNoNode;
      const std::string local = g.name.substr(g.name.rfind('.') + 1);
      auto it = file.globals.find(local);
      return it == file.globals.end() ? ir::kNoNode : it->second;
    };
    if (x.op == "global") next = bound(x);
    if (x.op == "getitem" && x.args.size() == 2 && x.args[0] >= 0 && x.args[1] >= 0 && node(x.args[1]).op == "const" &&
        !node(x.args[1]).num)
      if (ir::NodeId table = node(x.args[0]).op == "dict" ? x.args[0] : bound(node(x.args[0])); table >= 0)
        next = ir::dict_entry(prog.functions[static_cast<size_t>(owner_id)], table, node(x.args[1]).name);
    if (next < 0) return {};
    ns_id = next;
  }
  if (node(ns_id).op != "dict") return {};
  const std::string prefix = file.module_name.empty() ? "" : file.module_name + ".";
  ir::Module m;
  m.name = name;
  m.qualname = prefix + name;
  m.file = 0;
  m.loc = call.loc;
  for (ir::NodeId b : node(call.args[1]).args) {
    if (b < 0) continue;
    const ir::Node& bn = node(b);
    if (bn.target_module >= 0)
      m.bases.push_back(prog.modules[static_cast<size_t>(bn.target_module)].qualname);
    else if (bn.op == "global")
      m.bases.push_back(bn.name);
  }
  std::string varying;                 // the namespace key whose function is chosen from a mapping
  std::vector<int32_t> alternatives;   // its functions after the first
  const ir::Node ns = node(ns_id);
  for (size_t k = 0; k + 1 < ns.args.size(); k += 2) {
    if (ns.args[k] < 0 || ns.args[k + 1] < 0) continue;
    const ir::Node& key = node(ns.args[k]);
    const ir::Node v = node(ns.args[k + 1]);
    if (key.op != "const" || key.num || key.name.empty()) continue;
    if (auto fns = namespace_functions(prog, file, prog.functions[static_cast<size_t>(owner_id)], v); !fns.empty()) {
      m.methods[key.name] = fns.front();
      if (fns.size() > 1 && varying.empty()) {
        varying = key.name;
        alternatives.assign(fns.begin() + 1, fns.end());
      }
      continue;
    }
    // types.FunctionType(C.m.__code__, dict(globals(), name=other), ...)
    if (v.op != "call" || v.name != "types.FunctionType" || v.args.size() < 2 || v.args[0] < 0) continue;
    const ir::Node& code = node(v.args[0]);
    if (code.op != "attr" || code.name != "__code__" || code.args.empty() || code.args[0] < 0) continue;
    const ir::Node& meth = node(code.args[0]);
    if (meth.op != "attr" || meth.args.empty() || meth.args[0] < 0) continue;
    const int32_t owner = node(meth.args[0]).target_module;
    if (owner < 0) continue;
    const auto& owner_methods = prog.modules[static_cast<size_t>(owner)].methods;
    auto orig = owner_methods.find(meth.name);
    if (orig == owner_methods.end()) continue;
    std::vector<std::pair<std::string, std::string>> rebound;  // dotted global -> dotted replacement
    if (v.args[1] >= 0 && node(v.args[1]).op == "call" && node(v.args[1]).name == "dict")
      for (const auto& [g, val] : node(v.args[1]).kwargs)
        if (val >= 0 && node(val).target_function >= 0)
          rebound.emplace_back(prefix + g, prog.functions[static_cast<size_t>(node(val).target_function)].qualname);
    ir::Function copy = prog.functions[static_cast<size_t>(orig->second)];
    copy.id = static_cast<int32_t>(prog.functions.size());
    copy.qualname = m.qualname + "." + key.name;
    copy.owner_module = static_cast<int32_t>(prog.modules.size());
    for (ir::Node& x : copy.nodes)
      for (const auto& [from, to] : rebound)
        if ((x.op == "call" || x.op == "global") && x.name == from) {
          x.name = to;
          x.target_function = -1;  // (the linker resolves the new name)
          // Where the rebinding was written is where this call of the other function comes from.
          if (x.op == "call") x.loc = v.loc;
        }
    m.methods[key.name] = copy.id;
    prog.functions.push_back(std::move(copy));
  }
  if (m.methods.empty()) return {};
  std::vector<ir::Module> out{m};
  for (int32_t fn : alternatives) {
    out.push_back(m);
    out.back().methods[varying] = fn;
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].id = static_cast<int32_t>(prog.modules.size() + i);
  return out;
}

// `X = type("X", (Base,), {...})` at module level binds the class to X; `return type(name, ...)`
// in a factory function makes the class its caller builds (`get_norm(kind)(config)`): the call
// node becomes the class (a join of the classes when the namespace picks from a mapping).
void classes_from_type_calls(ir::Program& prog, ir::SourceFile& file) {
  const int32_t mf = file.module_function;
  std::vector<std::pair<std::string, ir::NodeId>> made(file.globals.begin(), file.globals.end());
  std::sort(made.begin(), made.end());
  for (const auto& [name, nid] : made) {
    const ir::Node call = prog.functions[static_cast<size_t>(mf)].node(nid);
    for (auto& m : type_call_classes(prog, file, mf, call, name)) {
      // (named like a class statement's class: `X()` elsewhere in the tree builds it)
      file.classes.emplace(name, m.id);
      prog.modules.push_back(std::move(m));
    }
  }
  const size_t functions = prog.functions.size();
  for (size_t fi = 0; fi < functions; ++fi) {
    if (static_cast<int32_t>(fi) == mf) continue;
    for (size_t ni = 0; ni < prog.functions[fi].nodes.size(); ++ni) {
      const ir::Node call = prog.functions[fi].nodes[ni];
      if (call.op != "call" || (call.name != "type" && call.name != "builtins.type")) continue;
      const std::string name = prog.functions[fi].name + ".<type>";
      auto classes = type_call_classes(prog, file, static_cast<int32_t>(fi), call, name);
      if (classes.empty()) continue;
      ir::Function& f = prog.functions[fi];
      std::vector<ir::NodeId> refs;
      for (auto& m : classes) {
        ir::Node c;
        c.id = static_cast<ir::NodeId>(f.nodes.size());
        c.op = "class";
        c.name = m.qualname;
        c.loc = call.loc;
        c.target_module = m.id;
        refs.push_back(c.id);
        f.nodes.push_back(std::move(c));
        prog.modules.push_back(std::move(m));
      }
      ir::Node& n = f.nodes[ni];
      if (refs.size() == 1) {
        n = f.nodes[static_cast<size_t>(refs[0])];
        n.id = static_cast<ir::NodeId>(ni);
      } else {
        n.op = "phi";
        n.name.clear();
        n.args = refs;
        n.kwargs.clear();
      }
    }
  }
}

}  // namespace

void lower_file(ir::Program& prog, const Options& opts) {
  ir::SourceFile& file = prog.files[0];
  file.language = "python";
  TSParser* parser = thread_parser();
  auto parse = [&](const std::string& text) {
    const ParseTimer timer(opts.parse_ns);
    return ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  };
  TSTree* tree = parse(file.text);
  if (!tree) {
    file.status = ir::FileStatus::Error;
    file.message = "tree-sitter could not parse the file";
    return;
  }
  // The first syntax error as written, for the diagnostic.
  TSPoint first_error_at{};
  bool had_error = ts_node_has_error(ts_tree_root_node(tree));
  if (had_error) {
    TSNode e = first_error(ts_tree_root_node(tree));
    first_error_at = ts_node_is_null(e) ? TSPoint{} : ts_node_start_point(e);
  }
  // Recovery: an error that swallows the lines after it (an unclosed bracket or string) hides the
  // code that follows. Blank the line where it starts (byte offsets and line numbers stay the
  // same) and parse again, as long as that shrinks the erroneous text.
  std::string blanked;
  std::vector<uint32_t> skipped;
  for (int attempt = 0; attempt < 8 && ts_node_has_error(ts_tree_root_node(tree)); ++attempt) {
    TSNode e = first_error(ts_tree_root_node(tree));
    if (ts_node_is_null(e) || ts_node_end_point(e).row == ts_node_start_point(e).row) break;  // localized
    const std::string& cur = blanked.empty() ? file.text : blanked;
    size_t a = ts_node_start_byte(e);
    while (a > 0 && cur[a - 1] != '\n') --a;
    size_t b = cur.find('\n', a);
    if (b == std::string::npos) b = cur.size();
    std::string candidate = cur;
    bool changed = false;
    for (size_t i = a; i < b; ++i)
      if (candidate[i] != ' ' && candidate[i] != '\r') {
        candidate[i] = ' ';
        changed = true;
      }
    if (!changed) break;
    TSTree* retry = parse(candidate);
    if (!retry) break;
    if (error_bytes(ts_tree_root_node(retry)) >= error_bytes(ts_tree_root_node(tree))) {
      ts_tree_delete(retry);
      break;
    }
    skipped.push_back(ts_node_start_point(e).row + 1);
    ts_tree_delete(tree);
    tree = retry;
    blanked = std::move(candidate);
  }
  TSNode root = ts_tree_root_node(tree);
  FileContext fc{prog, blanked.empty() ? file.text : blanked, opts, {}, {}, {}, false, {}, {}};

  // Module-level names first, so functions can refer to names defined later in the file.
  std::vector<TSNode> top;
  for_each_named_child(root, [&](TSNode s) { top.push_back(s); });
  for (TSNode s : top) {
    std::string_view t = node_type(s);
    if (t == "import_statement" || t == "import_from_statement") {
      for (auto& [local, target] : parse_import(fc, s)) {
        ir::Import imp{0, local, target, fc.loc(s)};
        file.imports.push_back(static_cast<int32_t>(prog.imports.size()));
        prog.imports.push_back(imp);
        if (local != "*") fc.import_alias[local] = target;
      }
    } else if (t == "decorated_definition" || t == "function_definition" || t == "class_definition") {
      TSNode d = t == "decorated_definition" ? ts_node_child_by_field_name(s, "definition", 10) : s;
      fc.toplevel_defs.insert(std::string(fc.text(ts_node_child_by_field_name(d, "name", 4))));
    } else if (t == "expression_statement") {
      TSNode a = named_child(s, 0);
      if (std::string_view(node_type(a)) == "augmented_assignment" &&
          fc.text(ts_node_child_by_field_name(a, "left", 4)) == "__all__") {
        // __all__ += ["name"] (tuples and lists of string literals)
        TSNode right = ts_node_child_by_field_name(a, "right", 5);
        for (uint32_t j = 0, k = ts_node_named_child_count(right); j < k; ++j) {
          TSNode e = ts_node_named_child(right, j);
          if (std::string_view(node_type(e)) != "string") continue;
          std::string v(fc.text(e));
          if (v.size() >= 2) file.all.push_back(v.substr(1, v.size() - 2));
        }
        continue;
      }
      if (std::string_view(node_type(a)) != "assignment") continue;
      TSNode left = ts_node_child_by_field_name(a, "left", 4);
      std::string_view lt = node_type(left);
      if (lt == "pattern_list" || lt == "tuple_pattern" || lt == "list_pattern") {
        // A, B, PAD = 5000, 20000, 0: each name is module-level.
        for (uint32_t j = 0, k = ts_node_named_child_count(left); j < k; ++j)
          if (std::string_view(node_type(ts_node_named_child(left, j))) == "identifier")
            fc.toplevel_defs.insert(std::string(fc.text(ts_node_named_child(left, j))));
        continue;
      }
      if (lt != "identifier") continue;
      std::string name(fc.text(left));
      fc.toplevel_defs.insert(name);
      TSNode right = ts_node_child_by_field_name(a, "right", 5);
      if (name == "__all__" && !ts_node_is_null(right)) {
        for (uint32_t j = 0, k = ts_node_named_child_count(right); j < k; ++j) {
          TSNode e = ts_node_named_child(right, j);
          if (std::string_view(node_type(e)) != "string") continue;
          std::string v(fc.text(e));
          if (v.size() >= 2) file.all.push_back(v.substr(1, v.size() - 2));
        }
      }
    }
  }

  int32_t mod_fn = static_cast<int32_t>(prog.functions.size());
  prog.functions.emplace_back();
  {
    ir::Function& f = prog.functions.back();
    f.id = mod_fn;
    f.name = "<module>";
    f.qualname = file.module_name.empty() ? "<module>" : file.module_name + ".<module>";
    f.file = 0;
    f.loc = fc.loc(root);
  }
  file.module_function = mod_fn;
  FunctionLowerer low(fc, mod_fn, nullptr, -1, nullptr);
  low.lower_block(root);
  file.globals = low.bindings();
  classes_from_type_calls(prog, file);

  if (had_error) {
    file.status = ir::FileStatus::Partial;
    std::string lines;
    for (uint32_t l : skipped) lines += (lines.empty() ? "" : ", ") + std::to_string(l);
    file.message = fmt::format(
        "syntax error at {}:{}; {}the rest of the file was analysed", first_error_at.row + 1, first_error_at.column + 1,
        skipped.empty() ? "" : fmt::format("line{} {} skipped, ", skipped.size() > 1 ? "s" : "", lines));
  }
  if (fc.too_deep) {
    file.status = ir::FileStatus::Partial;
    if (!file.message.empty()) file.message += "; ";
    file.message += fmt::format("nesting deeper than {} levels at {}:{} was not analysed", opts.max_depth,
                                fc.too_deep_loc.line, fc.too_deep_loc.col);
  }
  ts_tree_delete(tree);
}

namespace {
const FrontendRegistrar<struct PythonTag> registrar{Frontend{"python", {".py", ".pyi"}, lower_file}};
}  // namespace

}  // namespace archscan::frontend::python
