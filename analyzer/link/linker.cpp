// Name resolution across files.
#include "link/linker.h"
#include "link/string_names.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "link/modules.h"

namespace archscan::link {
namespace {

std::vector<std::string> split(const std::string& d) {
  std::vector<std::string> parts;
  size_t a = 0;
  while (true) {
    size_t b = d.find('.', a);
    parts.push_back(d.substr(a, b == std::string::npos ? std::string::npos : b - a));
    if (b == std::string::npos) break;
    a = b + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; ++i) s += (i > from ? "." : "") + parts[i];
  return s;
}

// Files by module name; a name also matches files whose module name ends with it, so a package
// scanned from outside its root (`corpus/pkg/x.py` imported as `pkg.x`) still resolves.
struct FileIndex {
  std::unordered_map<std::string, int32_t> exact;
  std::unordered_map<std::string, int32_t> suffix;  // shortest module name wins
  // Dotted forms of each Python file's path and their tails (`models/resnet.py` as `models.resnet`
  // and `resnet`): folders without __init__.py are importable namespace packages.
  std::unordered_map<std::string, int32_t> by_path;
  // Memo of resolved names; an entry is inserted as None before resolving, which also cuts cycles.
  mutable std::unordered_map<std::string, Entity> memo;
};

FileIndex build_index(const ir::Program& p) {
  FileIndex ix;
  for (size_t i = 0; i < p.files.size(); ++i) {
    const std::string& m = p.files[i].module_name;
    if (m.empty()) continue;
    ix.exact.emplace(m, static_cast<int32_t>(i));
    for (size_t dot = m.find('.'); dot != std::string::npos; dot = m.find('.', dot + 1)) {
      auto [it, fresh] = ix.suffix.emplace(m.substr(dot + 1), static_cast<int32_t>(i));
      if (!fresh && p.files[static_cast<size_t>(it->second)].module_name.size() > m.size())
        it->second = static_cast<int32_t>(i);
    }
  }
  for (size_t i = 0; i < p.files.size(); ++i) {
    const ir::SourceFile& f = p.files[i];
    if (f.language != "python" || !f.path.ends_with(".py")) continue;
    std::string dotted = f.path.substr(0, f.path.size() - 3);
    if (dotted == "__init__") continue;
    if (dotted.ends_with("/__init__")) dotted.resize(dotted.size() - 9);
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    // The longest path form first, so that a tail shared by two files goes to neither by accident.
    for (size_t start = 0; start != std::string::npos;) {
      ix.by_path.emplace(dotted.substr(start), static_cast<int32_t>(i));
      size_t dot = dotted.find('.', start);
      start = dot == std::string::npos ? dot : dot + 1;
    }
  }
  return ix;
}

thread_local const FileIndex* g_index = nullptr;
// Work budget of one top-level resolution: re-export chains through star imports can branch a lot.
thread_local int g_budget = 0;

// Suffix matches only for the name as written; names reached through imports are absolute.
int32_t find_file(const ir::Program&, const std::string& name, int depth) {
  if (auto it = g_index->exact.find(name); it != g_index->exact.end()) return it->second;
  if (auto it = g_index->by_path.find(name); it != g_index->by_path.end()) return it->second;
  if (depth == 0)
    if (auto it = g_index->suffix.find(name); it != g_index->suffix.end()) return it->second;
  return -1;
}

Entity resolve_in_file(const ir::Program& p, int32_t file, const std::vector<std::string>& rest, size_t i, int depth);

Entity resolve_uncached(const ir::Program& p, const std::string& dotted, int depth);

Entity resolve_depth(const ir::Program& p, const std::string& dotted, int depth) {
  if (depth == 0) g_budget = 256;
  if (depth > 12 || dotted.empty() || --g_budget < 0) return {};
  auto [it, fresh] = g_index->memo.emplace(dotted, Entity{});
  if (!fresh) return it->second;
  Entity e = resolve_uncached(p, dotted, depth);
  g_index->memo[dotted] = e;
  return e;
}

// A name written in `file`: the file's own definitions come first. Files outside any package
// (script-style layouts, namespace folders) often share a module name (`backdoor.py` in many
// folders), and the global index can only hold one of them.
Entity resolve_from(const ir::Program& p, const std::string& dotted, int32_t file) {
  if (file >= 0) {
    const std::string& own = p.file(file).module_name;
    if (!own.empty() && dotted.size() > own.size() && dotted.compare(0, own.size(), own) == 0 &&
        dotted[own.size()] == '.') {
      g_budget = 256;
      Entity e = resolve_in_file(p, file, split(dotted), split(own).size(), 0);
      if (e.kind != Entity::None) return e;
    }
  }
  return resolve_depth(p, dotted, 0);
}

Entity resolve_uncached(const ir::Program& p, const std::string& dotted, int depth) {
  auto parts = split(dotted);
  for (size_t k = parts.size(); k > 0; --k) {
    int32_t f = find_file(p, join(parts, 0, k), depth);
    if (f < 0) continue;
    Entity e = resolve_in_file(p, f, parts, k, depth);
    if (e.kind != Entity::None) return e;
  }
  return {};
}

Entity resolve_in_file(const ir::Program& p, int32_t file, const std::vector<std::string>& parts, size_t i, int depth) {
  if (i == parts.size()) return {Entity::File, file};
  const ir::SourceFile& f = p.file(file);
  const std::string& name = parts[i];
  if (auto it = f.functions.find(name); it != f.functions.end() && i + 1 == parts.size())
    return {Entity::Function, it->second};
  if (auto it = f.classes.find(name); it != f.classes.end()) {
    if (i + 1 == parts.size()) return {Entity::Class, it->second};
    int32_t m = p.mod(it->second).method(parts[i + 1]);
    if (m >= 0 && i + 2 == parts.size()) return {Entity::Function, m};
    return {};
  }
  std::string rest = join(parts, i + 1, parts.size());
  for (int32_t ii : f.imports) {
    const ir::Import& imp = p.imports[static_cast<size_t>(ii)];
    if (imp.local == name) {
      Entity e = resolve_depth(p, rest.empty() ? imp.target : imp.target + "." + rest, depth + 1);
      if (e.kind != Entity::None) return e;
    }
  }
  for (int32_t ii : f.imports) {
    const ir::Import& imp = p.imports[static_cast<size_t>(ii)];
    if (imp.local != "*") continue;
    int32_t target = find_file(p, imp.target, depth + 1);
    if (target >= 0) {
      const auto& all = p.file(target).all;
      if (!all.empty() && std::find(all.begin(), all.end(), name) == all.end()) continue;
    }
    Entity e = resolve_depth(p, imp.target + "." + join(parts, i, parts.size()), depth + 1);
    if (e.kind != Entity::None) return e;
  }
  return {};
}

bool has_star_import(const ir::Program& p, int32_t file) {
  for (int32_t ii : p.file(file).imports)
    if (p.imports[static_cast<size_t>(ii)].local == "*") return true;
  return false;
}

// The function a factory returns (`def make(): def inner(x): ...; return inner`), or -1.
int32_t returned_function(const ir::Program& p, int32_t fid, int depth = 0) {
  if (fid < 0 || depth > 4) return -1;
  const ir::Function& g = p.fn(fid);
  for (ir::NodeId r : g.returns) {
    const ir::Node& rn = g.node(r);
    if (rn.op != "return" || rn.args.empty()) continue;
    std::vector<ir::NodeId> work{rn.args[0]};
    for (int guard = 0; !work.empty() && guard < 16; ++guard) {
      const ir::Node& v = g.node(work.back());
      work.pop_back();
      if ((v.op == "def" || v.op == "lambda") && v.target_function >= 0) return v.target_function;
      if (v.op == "phi" || v.op == "select") work.insert(work.end(), v.args.begin(), v.args.end());
      if ((v.op == "call" || v.op == "call_value") && v.target_function >= 0) {
        // return functools.partial(...) / another factory: follow one more level.
        if (int32_t f = returned_function(p, v.target_function, depth + 1); f >= 0) return f;
      }
    }
  }
  return -1;
}

void resolve_calls(ir::Program& p) {
  // Named calls first (every function), then calls of computed callees, which follow them.
  for (int pass = 0; pass < 2; ++pass) {
    for (auto& fn : p.functions) {
      int32_t owner = fn.owner_module;
      for (const ir::Function* f = &fn; owner < 0 && f->parent >= 0;) {
        f = &p.fn(f->parent);
        owner = f->owner_module;
      }
      for (auto& n : fn.nodes) {
        if (pass == 0 && n.op == "attr" && !n.args.empty() && n.args[0] < n.id) {
          // A method or function read as a value: `self._zero` (a bound method), `fuse.erase` (a
          // function of an imported module), as `getattr` with a folded name leaves them.
          const ir::Node& recv = fn.node(n.args[0]);
          if (recv.op == "param" && recv.num && *recv.num == 0 && !fn.params.empty() && fn.params[0] == "self")
            n.target_function = find_method(p, owner, n.name);
          else if (recv.op == "global")
            if (Entity e = resolve_from(p, recv.name + "." + n.name, fn.file); e.kind == Entity::Function)
              n.target_function = e.id;
          continue;
        }
        if (pass == 0 && n.op == "call_value" && !n.args.empty() && fn.owner_module >= 0 && !fn.param_nodes.empty() &&
            n.args[0] == fn.param_nodes[0] && !fn.params.empty() && fn.params[0] == "cls" &&
            std::find(fn.decorators.begin(), fn.decorators.end(), "classmethod") != fn.decorators.end()) {
          // `cls(...)` in a classmethod factory constructs the class: lowered as a call of it.
          n.op = "call";
          n.name = p.mod(fn.owner_module).qualname;
          n.args.erase(n.args.begin());
          n.target_module = fn.owner_module;
          continue;
        }
        const bool named = n.op == "call" || n.op == "global";
        if (pass == 0 ? !named : n.op != "call_value") continue;
        if (n.op == "call" || n.op == "global") {
          if (n.name.rfind("self.", 0) == 0) {
            n.target_function = find_method(p, fn.owner_module, n.name.substr(5));
            continue;
          }
          if (n.name.rfind("super.", 0) == 0 && fn.owner_module >= 0) {
            // The next class after the owner in its method resolution order that defines it.
            const std::string name = n.name.substr(6);
            for (int32_t c : ir::mro(p, fn.owner_module).subspan(1))
              if ((n.target_function = p.mod(c).method(name)) >= 0) break;
            continue;
          }
          Entity e = resolve_from(p, n.name, fn.file);
          if (e.kind == Entity::None && fn.file >= 0 && n.name.find('.') == std::string::npos &&
              has_star_import(p, fn.file)) {
            // A bare name bound by `from m import *`: look it up through the file's star imports
            // (which honour the target's __all__).
            e = resolve_depth(p, p.file(fn.file).module_name + "." + n.name, 0);
          }
          if (e.kind == Entity::None && n.op == "call" && n.name.ends_with(".apply")) {
            // `Fn.apply(x, ...)` of a torch.autograd.Function subclass runs its static forward(ctx, x, ...).
            Entity cls = resolve_from(p, n.name.substr(0, n.name.size() - 6), fn.file);
            if (cls.kind == Entity::Class) {
              const ir::Function* fwd = nullptr;
              if (int32_t id = find_method(p, cls.id, "forward"); id >= 0) fwd = &p.fn(id);
              if (fwd && !fwd->params.empty() && fwd->params[0] != "self") n.target_function = fwd->id;
            }
            continue;
          }
          if (e.kind == Entity::Function) n.target_function = e.id;
          if (e.kind == Entity::Class) n.target_module = e.id;
        } else if (n.op == "call_value" && !n.args.empty()) {
          const ir::Node& c = fn.node(n.args[0]);
          if (c.op == "call" || c.op == "call_value") {
            // Calling what a call returned: `make_block(2)(x)` runs the closure the factory returns;
            // `Net()(x)` runs an instance of the class.
            if (c.target_function >= 0) n.target_function = returned_function(p, c.target_function);
            if (c.target_module >= 0) n.target_module = c.target_module;
            continue;
          }
          if (c.op == "free") continue;  // its target_function is the enclosing scope, not the callee
          if (c.target_function >= 0) n.target_function = c.target_function;
          if (c.target_module >= 0) n.target_module = c.target_module;
        }
      }
    }
  }
}

// `cls.forward = wrap(cls.forward)` in the `__init_subclass__` of a base class of `f`'s class: the
// decorator function every subclass's method `f.name` gets when the subclass is created, or -1.
int32_t subclass_hook_decorator(const ir::Program& p, const ir::Function& f) {
  if (f.owner_module < 0) return -1;
  std::vector<int32_t> bases = p.mod(f.owner_module).base_modules;
  std::set<int32_t> seen;
  while (!bases.empty()) {
    const int32_t b = bases.back();
    bases.pop_back();
    if (b < 0 || !seen.insert(b).second || seen.size() > 32) continue;
    const ir::Module& base = p.mod(b);
    bases.insert(bases.end(), base.base_modules.begin(), base.base_modules.end());
    auto it = base.methods.find("__init_subclass__");
    if (it == base.methods.end()) continue;
    const ir::Function& hook = p.fn(it->second);
    if (hook.param_nodes.empty()) continue;
    const ir::NodeId cls = hook.param_nodes[0];
    for (const ir::Node& n : hook.nodes) {
      if (n.op != "setattr" || n.name != f.name || n.args.size() != 2 || n.args[0] != cls || n.args[1] < 0) continue;
      const ir::Node& call = hook.node(n.args[1]);
      if (call.op != "call" || call.target_function < 0) continue;
      for (ir::NodeId a : call.args)
        if (a >= 0 && hook.node(a).op == "attr" && hook.node(a).name == f.name && !hook.node(a).args.empty() &&
            hook.node(a).args[0] == cls)
          return call.target_function;
    }
  }
  return -1;
}

// A decorator as written in `f`'s file: its own definitions and imports first, then an absolute path.
static Entity resolve_decorator_name(const ir::Program& p, const ir::Function& f, const std::string& name) {
  const std::string& mod = f.file >= 0 ? p.file(f.file).module_name : std::string();
  Entity e = mod.empty() ? Entity{} : resolve_from(p, mod + "." + name, f.file);
  return e.kind == Entity::None ? resolve_from(p, name, f.file) : e;
}

// `@guard` / `@guard(limit=8)` on a function of the tree: the wrapper the decorator returns.
void resolve_decorators(ir::Program& p) {
  for (auto& f : p.functions) f.overloads.clear();
  for (auto& f : p.functions) {
    f.wrapper = f.wrapper_parent = -1;
    f.wrapper_class = -1;
    if (f.decorator_call >= 0 && f.decorator_scope >= 0) {
      // @functools.partial(Guard, k=v): the class the partial instantiates.
      const ir::Function& scope = p.fn(f.decorator_scope);
      const ir::Node& call = scope.node(f.decorator_call);
      if (call.op == "call" && (call.name == "functools.partial" || call.name == "partial") && !call.args.empty() &&
          scope.node(call.args[0]).target_module >= 0)
        f.wrapper_class = scope.node(call.args[0]).target_module;
    }
    for (const auto& d : f.decorators) {
      const bool factory = d.ends_with("()");
      const std::string name = factory ? d.substr(0, d.size() - 2) : d;
      if (name == "staticmethod" || name == "classmethod" || name == "property") continue;
      const std::string& mod = f.file >= 0 ? p.file(f.file).module_name : std::string();
      auto lookup = [&](const std::string& dotted) { return resolve_decorator_name(p, f, dotted); };
      if (name.ends_with(".register")) {
        // `@generic.register(T)` adds an implementation to a singledispatch generic.
        Entity g = lookup(name.substr(0, name.size() - 9));
        // `@finalize.register` in a class body: the class's singledispatchmethod of that name.
        if (f.owner_module >= 0)
          if (int32_t m = find_method(p, f.owner_module, name.substr(0, name.size() - 9)); m >= 0)
            g = {Entity::Function, m};
        if (g.kind == Entity::Function && g.id != f.id) {
          const auto& gd = p.fn(g.id).decorators;
          bool generic = false;
          for (const auto& x : gd) generic |= x.ends_with("singledispatch") || x.ends_with("singledispatchmethod");
          if (generic) p.functions[static_cast<size_t>(g.id)].overloads.push_back(f.id);
        }
        continue;
      }
      Entity e = lookup(name);
      if (e.kind == Entity::Class && !factory && f.wrapper_class < 0) f.wrapper_class = e.id;
      if (e.kind != Entity::Function && !factory && f.decorator_call < 0) {
        // `deco = functools.partial(_deco, signature=SIG)` ... `@deco`: `_deco` with those keywords
        // bound (decorator_call points at the partial, whose arguments the wrapper reads).
        auto [mfi, bound] = p.global_binding(mod + "." + name);
        if (mfi >= 0 && bound >= 0) {
          const ir::Node& c = p.fn(mfi).node(bound);
          if (c.op == "call" && (c.name == "functools.partial" || c.name == "partial") && !c.args.empty() &&
              p.fn(mfi).node(c.args[0]).target_function >= 0) {
            e = {Entity::Function, p.fn(mfi).node(c.args[0]).target_function};
            f.decorator_scope = mfi;
            f.decorator_call = bound;
          }
        }
      }
      // `@Calibrate(SPEC)`: an instance of a class of the tree decorates, so its `__call__(self, fn)`
      // is the decorator and what that returns the wrapper (reading `self`'s fields and `fn`).
      if (e.kind == Entity::Class && factory)
        if (int32_t call = find_method(p, e.id, "__call__"); call >= 0 && p.fn(call).params.size() >= 2)
          if (int32_t w = returned_function(p, call); w >= 0 && w != f.id) {
            f.wrapper = w;
            f.wrapper_parent = call;
            break;
          }
      if (e.kind != Entity::Function) continue;
      int32_t outer = factory ? returned_function(p, e.id) : e.id;
      if (outer < 0 || p.fn(outer).params.empty()) continue;
      int32_t w = returned_function(p, outer);
      if (w < 0 || w == f.id) continue;
      f.wrapper = w;
      f.wrapper_parent = outer;
      break;
    }
    // A base class's __init_subclass__ decorating the method when the subclass is made.
    if (f.wrapper < 0 && f.wrapper_class < 0)
      if (int32_t outer = subclass_hook_decorator(p, f); outer >= 0 && !p.fn(outer).params.empty())
        if (int32_t w = returned_function(p, outer); w >= 0 && w != f.id) {
          f.wrapper = w;
          f.wrapper_parent = outer;
        }
  }
}

// `class Block(FrameAware)` where `FrameAware = Placeholder()` and the placeholder's class defines
// `__mro_entries__` (PEP 560): the classes that method returns are the real bases.
std::vector<std::string> mro_entries(const ir::Program& p, const std::string& base, int32_t from_file) {
  auto dot = base.rfind('.');
  if (dot == std::string::npos) return {};
  Entity owner = resolve_from(p, base.substr(0, dot), from_file);
  if (owner.kind != Entity::File) return {};
  const ir::SourceFile& file = p.file(owner.id);
  auto g = file.globals.find(base.substr(dot + 1));
  if (g == file.globals.end() || file.module_function < 0) return {};
  const ir::Function& top = p.fn(file.module_function);
  const ir::Node& made = top.node(g->second);
  // Placeholder() is a call of the class by name, or of the class statement's value in the file.
  Entity cls;
  if (made.op == "call") cls = resolve_from(p, made.name, owner.id);
  if (made.op == "call_value" && !made.args.empty() && top.node(made.args[0]).target_module >= 0)
    cls = {Entity::Class, top.node(made.args[0]).target_module};
  if (cls.kind != Entity::Class) return {};
  int32_t hook = p.mod(cls.id).method("__mro_entries__");
  if (hook < 0) return {};
  const ir::Function& h = p.fn(hook);
  std::vector<std::string> out;
  for (ir::NodeId r : h.returns) {
    if (h.node(r).args.empty()) continue;
    const ir::Node& t = h.node(h.node(r).args[0]);
    if (t.op != "tuple") continue;
    for (ir::NodeId e : t.args)
      if (h.node(e).op == "global" && !h.node(e).name.empty()) out.push_back(h.node(e).name);
    break;
  }
  return out;
}

void resolve_bases(ir::Program& p) {
  for (auto& m : p.modules) {
    std::vector<std::string> bases;
    for (const auto& b : m.bases) {
      std::vector<std::string> entries =
          resolve_from(p, b, m.file).kind == Entity::None ? mro_entries(p, b, m.file) : std::vector<std::string>{};
      if (entries.empty()) bases.push_back(b);
      bases.insert(bases.end(), entries.begin(), entries.end());
    }
    m.bases = std::move(bases);
  }
  for (auto& m : p.modules) {
    m.base_modules.clear();
    for (const auto& b : m.bases) {
      Entity e = resolve_from(p, b, m.file);
      if (e.kind == Entity::Class && e.id != m.id) m.base_modules.push_back(e.id);
    }
  }
  // Stale orders from an earlier link must not be reused: compute_mro takes a base's stored order.
  for (auto& m : p.modules) m.mro.clear();
  for (auto& m : p.modules) m.mro = ir::compute_mro(p, m.id);
}

}  // namespace

int32_t decorator_function(const ir::Program& p, const ir::Function& f, const std::string& decorator) {
  const bool factory = decorator.ends_with("()");
  const std::string name = factory ? decorator.substr(0, decorator.size() - 2) : decorator;
  if (name == "staticmethod" || name == "classmethod" || name == "property") return -1;
  const Entity e = resolve_decorator_name(p, f, name);
  if (e.kind != Entity::Function) return -1;
  return factory ? returned_function(p, e.id) : e.id;
}

Entity resolve(const ir::Program& program, const std::string& dotted, int32_t from_file) {
  FileIndex ix = build_index(program);
  const FileIndex* saved = g_index;
  g_index = &ix;
  Entity e = resolve_from(program, dotted, from_file);
  g_index = saved;
  return e;
}

// Functions taken as values (see SourceFile::escaped_functions): a function read by name or a
// nested def / lambda used by anything but a call of it, or decorated by a decorator the linker did
// not resolve into a wrapper (a registry's `@register("name")`).
void collect_escapes(ir::Program& p) {
  auto note = [&](int32_t file, int32_t fn) {
    if (file < 0) return;
    auto& v = p.files[static_cast<size_t>(file)].escaped_functions;
    if (std::find(v.begin(), v.end(), fn) == v.end()) v.push_back(fn);
  };
  auto escape = [&](int32_t site_file, int32_t fn, bool method = false) {
    // (methods are reached through their class, unless a decorator of the tree registers them)
    if (fn < 0 || (p.fn(fn).owner_module >= 0 && !method)) return;
    note(site_file, fn);
    note(p.fn(fn).file, fn);
  };
  for (const auto& f : p.functions) {
    if (f.wrapper < 0 && f.wrapper_class < 0 && f.name != "<class>" && f.name != "<module>")
      for (const std::string& d : f.decorators) {
        static const char* const plain[] = {"torch.", "functools.", "typing.", "contextlib.", "abc.", "staticmethod",
                                            "classmethod", "property", "lru_cache", "cache", "wraps",
                                            "contextmanager", "dataclass", "abstractmethod", "no_grad"};
        if (std::none_of(std::begin(plain), std::end(plain), [&](const char* x) { return d.starts_with(x); }) &&
            (f.owner_module < 0 || d.ends_with("()")))  // (a method marked by a decorator factory: `@tap("slot")`)
          escape(f.file, f.id, true);
      }
    // Values taken in a free function's body (a script's or test's helpers) are its own business;
    // module and class bodies and methods are where a model's tables and hooks are set up.
    bool model_code = f.name == "<module>" || f.name == "<class>";
    for (const ir::Function* g = &f; !model_code && g; g = g->parent >= 0 ? &p.fn(g->parent) : nullptr)
      model_code = g->owner_module >= 0;
    if (!model_code) continue;
    for (const auto& n : f.nodes) {
      auto use = [&](ir::NodeId a, bool callee) {
        if (a < 0 || callee) return;
        const ir::Node& v = f.node(a);
        const bool named = v.op == "global" && v.target_function >= 0;
        const bool nested = (v.op == "def" || v.op == "lambda") && v.target_function >= 0 && f.name != "<class>";
        if (named || nested) escape(f.file, v.target_function);
      };
      for (size_t i = 0; i < n.args.size(); ++i) use(n.args[i], i == 0 && n.op == "call_value");
      for (const auto& [k, v] : n.kwargs) use(v, false);
    }
  }
}

void link(ir::Program& p) {
  FileIndex ix = build_index(p);
  const FileIndex* saved = g_index;
  g_index = &ix;
  resolve_bases(p);
  fold_string_names(p, false);
  resolve_calls(p);
  // Names that fold only through a factory's call sites; resolve again only what that lowered.
  if (fold_string_names(p, true) > 0) resolve_calls(p);
  resolve_decorators(p);
  build_modules(p);
  collect_escapes(p);
  g_index = saved;
}

}  // namespace archscan::link
