#include "ir/ir.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace archscan::ir {

const char* to_string(AttrKind k) {
  switch (k) {
    case AttrKind::Layer:
      return "layer";
    case AttrKind::Container:
      return "container";
    case AttrKind::Submodule:
      return "submodule";
    case AttrKind::Parameter:
      return "parameter";
    case AttrKind::Buffer:
      return "buffer";
    case AttrKind::PlainTensor:
      return "plain-tensor";
    case AttrKind::Constant:
      return "constant";
    case AttrKind::Other:
      return "other";
  }
  return "other";
}

const char* to_string(FileStatus s) {
  switch (s) {
    case FileStatus::Ok:
      return "ok";
    case FileStatus::Partial:
      return "partial";
    case FileStatus::Error:
      return "error";
    case FileStatus::Skipped:
      return "skipped";
  }
  return "error";
}

const Attr* Module::attr(const std::string& n) const {
  for (const auto& a : attrs)
    if (a.name == n) return &a;
  // self.stage0 of attributes registered by a built name (add_module(f"stage{i}", ...)).
  for (const auto& a : attrs)
    if (a.name.find("{}") != std::string::npos && fits_template(a.name, n)) return &a;
  return nullptr;
}

std::string name_template(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string_view::npos) return std::string(text);
    out += "{}";
    i = close;
  }
  return out;
}

std::string imported_module_template(const Program& p, const int32_t file, const Node* spec) {
  const SourceFile& here = p.file(file);
  std::string pkg = here.module_name;
  if (!here.is_package_init && pkg.rfind('.') != std::string::npos) pkg = pkg.substr(0, pkg.rfind('.'));
  if (!spec || spec->op != "const" || spec->num) return pkg + ".{}";
  std::string tmpl = spec->args.empty() ? spec->name : name_template(spec->name);
  return tmpl.starts_with(".") ? pkg + tmpl : tmpl;
}

std::vector<int32_t> module_functions(const Program& p, const std::string& tmpl, const std::string& name) {
  std::vector<int32_t> out;
  for (const auto& file : p.files) {
    if (!fits_template(tmpl, file.module_name)) continue;
    for (const auto& g : p.functions)
      if (g.owner_module < 0 && g.qualname == file.module_name + "." + name) out.push_back(g.id);
  }
  return out;
}

bool fits_template(std::string_view tmpl, std::string_view name) {
  std::vector<std::string> parts{""};
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{') {
      size_t close = tmpl.find('}', i);
      if (close == std::string_view::npos) return false;
      parts.emplace_back();
      i = close;
    } else {
      parts.back() += tmpl[i];
    }
  }
  if (parts.size() == 1) return tmpl == name;
  if (!name.starts_with(parts.front()) || !name.ends_with(parts.back()) ||
      name.size() < parts.front().size() + parts.back().size())
    return false;
  size_t at = parts.front().size();
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    at = name.find(parts[i], at);
    if (at == std::string_view::npos) return false;
    at += parts[i].size();
  }
  return at <= name.size() - parts.back().size();
}

int32_t Module::method(const std::string& n) const {
  auto it = methods.find(n);
  return it == methods.end() ? -1 : it->second;
}

std::string_view SourceFile::line_text(int32_t line) const {
  if (line < 1 || static_cast<size_t>(line) > line_starts.size()) return {};
  size_t a = line_starts[static_cast<size_t>(line) - 1];
  size_t b = static_cast<size_t>(line) < line_starts.size() ? line_starts[static_cast<size_t>(line)] : text.size();
  std::string_view v(text);
  v = v.substr(a, b - a);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

int32_t Program::file_by_module_name(const std::string& dotted) const {
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i].module_name == dotted) return static_cast<int32_t>(i);
  return -1;
}

std::pair<int32_t, NodeId> Program::global_binding(const std::string& dotted, int depth) const {
  auto dot = dotted.rfind('.');
  if (dot == std::string::npos) return {-1, kNoNode};
  int32_t fi = file_by_module_name(dotted.substr(0, dot));
  if (fi < 0) {
    // `Postprocess.TABLE`: a class attribute, bound by the body of a class of a file of the tree.
    const std::string owner = dotted.substr(0, dot);
    // (`Net.Ops.SIG`: a class nested in a class, the file further up the path)
    auto cls_dot = owner.rfind('.');
    int32_t file = cls_dot == std::string::npos ? -1 : file_by_module_name(owner.substr(0, cls_dot));
    for (int guard = 0; file < 0 && cls_dot != std::string::npos && cls_dot > 0 && guard < 4; ++guard) {
      cls_dot = owner.rfind('.', cls_dot - 1);
      if (cls_dot != std::string::npos) file = file_by_module_name(owner.substr(0, cls_dot));
    }
    for (const Module& m : modules) {
      if (file < 0) break;
      if (m.file != file || m.qualname != owner || m.body_function < 0) continue;
      auto it = m.class_vars.find(dotted.substr(dot + 1));
      if (it != m.class_vars.end()) return {m.body_function, it->second};
    }
  }
  if (fi < 0 || files[static_cast<size_t>(fi)].module_function < 0) return {-1, kNoNode};
  const SourceFile& file = files[static_cast<size_t>(fi)];
  const std::string name = dotted.substr(dot + 1);
  auto it = file.globals.find(name);
  if (it != file.globals.end()) return {file.module_function, it->second};
  // A package re-exporting the name (`from ._impl import PAD` / `from ._impl import *` in __init__).
  if (depth >= 4) return {-1, kNoNode};
  for (int32_t ii : file.imports) {
    const Import& imp = imports[static_cast<size_t>(ii)];
    if (imp.local == name) return global_binding(imp.target, depth + 1);
    if (imp.local == "*")
      if (auto b = global_binding(imp.target + "." + name, depth + 1); b.first >= 0) return b;
  }
  return {-1, kNoNode};
}

NodeId dict_entry(const Function& f, NodeId dict, const std::string& key) {
  if (dict < 0) return kNoNode;
  const Node& d = f.node(dict);
  if (d.op == "dict") {
    for (size_t k = 0; k + 1 < d.args.size(); k += 2) {
      const Node& kn = f.node(d.args[k]);
      if (kn.op == "const" && !kn.num && kn.name == key) return d.args[k + 1];
    }
  } else if (d.op == "call" && d.name == "dict") {
    for (const auto& [k, v] : d.kwargs)
      if (k == key) return v;
  }
  return kNoNode;
}

const Attr* module_attr(const Program& p, int32_t mod, const std::string& path, int depth) {
  if (mod < 0 || depth > 16) return nullptr;
  const Module& m = p.mod(mod);
  std::string head = path.substr(0, path.find('.'));
  std::string rest = path.find('.') == std::string::npos ? "" : path.substr(path.find('.') + 1);
  const Attr* a = m.attr(head);
  for (int32_t c : mro(p, mod)) {
    if (a) break;
    a = p.mod(c).attr(head);
  }
  if (!a) return nullptr;
  while (!rest.empty() && a) {
    std::string key = rest.substr(0, rest.find('.'));
    rest = rest.find('.') == std::string::npos ? "" : rest.substr(rest.find('.') + 1);
    if (a->kind == AttrKind::Container) {
      const Attr* found = nullptr;
      for (const auto& c : a->children)
        if (c.name == key || c.name == "*") found = found ? found : &c;
      a = found;
    } else if (a->kind == AttrKind::Submodule) {
      return module_attr(p, a->module_class, rest.empty() ? key : key + "." + rest, depth + 1);
    } else {
      return nullptr;  // a tensor or value has no sub-attributes that are modules (self.w.abs)
    }
  }
  return a;
}

int32_t find_method(const Program& p, int32_t mod, const std::string& name) {
  if (mod < 0) return -1;
  for (int32_t c : mro(p, mod))
    if (int32_t f = p.mod(c).method(name); f >= 0) return f;
  return -1;
}

namespace {

// C3: the first head of the lists that is in no list's tail, repeatedly; nullopt when none is.
std::optional<std::vector<int32_t>> c3_merge(std::vector<std::vector<int32_t>> lists) {
  std::vector<int32_t> out;
  std::vector<size_t> at(lists.size(), 0);
  while (out.size() < kMaxMro) {
    int32_t pick = -1;
    bool any = false;
    for (size_t i = 0; i < lists.size() && pick < 0; ++i) {
      if (at[i] >= lists[i].size()) continue;
      any = true;
      const int32_t head = lists[i][at[i]];
      bool in_tail = false;
      for (size_t j = 0; j < lists.size() && !in_tail; ++j)
        in_tail = std::find(lists[j].begin() + static_cast<std::ptrdiff_t>(std::min(at[j] + 1, lists[j].size())),
                            lists[j].end(), head) != lists[j].end();
      if (!in_tail) pick = head;
    }
    if (!any) break;
    if (pick < 0) return std::nullopt;  // inconsistent hierarchy (Python raises TypeError)
    out.push_back(pick);
    for (size_t i = 0; i < lists.size(); ++i)
      if (at[i] < lists[i].size() && lists[i][at[i]] == pick) ++at[i];
  }
  return out;
}

}  // namespace

std::vector<int32_t> compute_mro(const Program& p, int32_t mod) {
  // Iterative post-order over the base graph (a chain of 10k classes must not recurse 10k deep),
  // each class's order from its bases' orders; a base met while its own order is being computed
  // (a cycle, which Python cannot build) is left out.
  std::unordered_map<int32_t, std::vector<int32_t>> done;
  std::unordered_set<int32_t> open;
  std::vector<std::pair<int32_t, size_t>> stack{{mod, 0}};
  open.insert(mod);
  while (!stack.empty()) {
    auto& [c, next] = stack.back();
    const Module& m = p.mod(c);
    if (next < m.base_modules.size()) {
      const int32_t b = m.base_modules[next++];
      // A base whose order is already stored (the linker computes them in turn) is not walked
      // again: without this a chain of n classes costs n^2.
      if (b >= 0 && !done.count(b) && !p.mod(b).mro.empty()) done.emplace(b, p.mod(b).mro);
      if (b >= 0 && !done.count(b) && open.insert(b).second) stack.push_back({b, 0});
      continue;
    }
    std::vector<std::vector<int32_t>> lists;
    std::vector<int32_t> bases;
    for (int32_t b : m.base_modules)
      if (auto it = done.find(b); it != done.end() && std::find(bases.begin(), bases.end(), b) == bases.end()) {
        lists.push_back(it->second);
        bases.push_back(b);
      }
    lists.push_back(bases);
    std::vector<int32_t> order{c};
    if (auto merged = c3_merge(lists)) {
      order.insert(order.end(), merged->begin(), merged->end());
    } else {
      for (const auto& l : lists)
        for (int32_t x : l)
          if (std::find(order.begin(), order.end(), x) == order.end()) order.push_back(x);
    }
    if (order.size() > kMaxMro) order.resize(kMaxMro);
    const int32_t finished = c;
    open.erase(finished);
    done[finished] = std::move(order);
    stack.pop_back();
  }
  return std::move(done[mod]);
}

std::span<const int32_t> mro(const Program& p, int32_t mod) {
  if (mod < 0) return {};
  const Module& m = p.mod(mod);
  if (!m.mro.empty()) return m.mro;
  return {&m.id, 1};  // not linked yet: the class alone (bases are resolved by the linker)
}

bool is_enum(const Program& p, int32_t mod) {
  for (int32_t c : mro(p, mod))
    for (const std::string& b : p.mod(c).bases)
      if (b.ends_with("Enum") || b.ends_with("enum.Flag") || b.ends_with("enum.IntFlag")) return true;
  return false;
}

bool has_decorator(const Function& f, const std::string& name) {
  return std::find(f.decorators.begin(), f.decorators.end(), name) != f.decorators.end();
}

bool is_self(const Function& f, NodeId id) {
  if (id < 0 || static_cast<size_t>(id) >= f.nodes.size()) return false;
  const Node& n = f.node(id);
  return n.op == "param" && n.num && *n.num == 0 && f.owner_module >= 0;
}

int32_t instance_class(const Program& p, const Function& f, NodeId id, int depth) {
  if (id < 0 || depth > 8) return -1;
  const Node& n = f.node(id);
  if (is_self(f, id)) return f.owner_module;
  if ((n.op == "call" || n.op == "call_value") && n.target_module >= 0) return n.target_module;
  if (n.op == "call" && n.name.ends_with("__new__") && !n.args.empty() && n.args[0] >= 0) {
    // `Variant.__new__(Variant)`, `object.__new__(Variant)`: an instance made without __init__.
    const Node& cls = f.node(n.args[0]);
    if (cls.op == "global" && cls.target_module >= 0) return cls.target_module;
  }
  if (n.op == "call_value" && !n.args.empty() && f.owner_module >= 0) {
    // cls(...) in a classmethod (a factory): an instance of the class.
    const Node& callee = f.node(n.args[0]);
    bool classmethod = std::find(f.decorators.begin(), f.decorators.end(), "classmethod") != f.decorators.end();
    if (classmethod && callee.op == "param" && callee.num && *callee.num == 0) return f.owner_module;
  }
  if (n.op == "attr" && !n.args.empty()) {
    int32_t owner = instance_class(p, f, n.args[0], depth + 1);
    const Attr* a = owner >= 0 ? module_attr(p, owner, n.name) : nullptr;
    return a && a->kind == AttrKind::Submodule ? a->module_class : -1;
  }
  if (n.op == "or" || n.op == "phi" || n.op == "select")
    for (size_t i = n.op == "select" ? 1 : 0; i < n.args.size(); ++i)
      if (int32_t c = instance_class(p, f, n.args[i], depth + 1); c >= 0) return c;
  if (n.op == "param")
    for (const auto& [k, d] : n.kwargs)
      if (k == "default") return instance_class(p, f, d, depth + 1);
  return -1;
}

std::vector<const Attr*> fields_named(const Program& p, const std::string& name) {
  std::vector<const Attr*> found;
  for (const auto& m : p.modules) {
    if (m.is_nn_module) continue;
    for (const auto& a : m.attrs)
      // A copy of a constructor argument without a default (self.marker = marker) defines nothing.
      if (a.name == name && !(a.kind == AttrKind::Other && a.type.starts_with("argument:"))) found.push_back(&a);
  }
  return found;
}

bool is_namespace_record(std::string_view call) {
  return call == "types.SimpleNamespace" || call == "argparse.Namespace";
}

std::pair<int32_t, NodeId> namespace_record_field(const Program& p, const std::string& name) {
  std::pair<int32_t, NodeId> found{-1, kNoNode};
  for (const auto& file : p.files) {
    if (file.module_function < 0) continue;
    const Function& mf = p.fn(file.module_function);
    for (const auto& [global, id] : file.globals) {
      if (id < 0 || mf.node(id).op != "call" || !is_namespace_record(mf.node(id).name)) continue;
      for (const auto& [k, v] : mf.node(id).kwargs) {
        if (k != name) continue;
        if (found.first >= 0) return {-1, kNoNode};  // two records define it: which one is unknown
        found = {mf.id, v};
      }
    }
  }
  return found;
}

std::vector<uint32_t> line_starts(const std::string& text) {
  std::vector<uint32_t> v{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && i + 1 <= text.size()) v.push_back(static_cast<uint32_t>(i + 1));
  if (!text.empty() && text.back() == '\n') v.pop_back();
  return v;
}

}  // namespace archscan::ir
