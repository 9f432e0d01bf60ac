// The model IR: one language-neutral representation of a scanned source tree.
//
// Front-ends (Python via tree-sitter, C++ via Clang) lower source into it; analyses and rules read
// only this. A Program holds files, modules (classes whose __init__ builds layers and tensors) and
// functions (forward, helpers, nested and factory functions) as SSA-like dataflow graphs whose nodes
// are normalised tensor ops with source spans.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace archscan::ir {

using NodeId = int32_t;
inline constexpr NodeId kNoNode = -1;
// The attribute under which a subclass of nn.Sequential / nn.ModuleList keeps the layers it is the
// container of (`super().__init__(*layers)`, or the construction's arguments): not a Python name.
inline constexpr const char* kContainerItems = "<items>";
// Attr::text of an attribute holding a weak reference to its value (`weakref.ref(parent)`): calling
// the attribute hands back the value.
inline constexpr const char* kWeakReference = "<weakref>";
// Attr::type of an attribute holding a module object `importlib.import_module` loaded; Attr::text
// holds the template of the module names it can be (see imported_module_template).
inline constexpr const char* kImportedModule = "<imported module>";
// The name of the call_value node a class decorator's application lowers to (`@deco class C` is
// `C = deco(C)`): callee first, then the class.
inline constexpr const char* kClassDecorator = "<class decorator>";

// A source span, 1-based lines and columns (columns count UTF-8 bytes + 1).
struct Loc {
  int32_t file = -1;
  int32_t line = 0, col = 0, end_line = 0, end_col = 0;
  bool valid() const { return file >= 0 && line > 0; }
};

// Node flags.
enum NodeFlag : uint32_t {
  kInPlace = 1u << 0,  // an in-place op (`x.relu_()`, `x += 1`, `y[i] = v`): defines a new version of its first operand
  kLearned = 1u << 1,  // the op applies learned parameters (a conv/linear layer, a user module owning parameters)
  kStatement = 1u << 2,  // evaluated for its effect (an expression statement, a setattr)
  kTraining = 1u << 3,   // lowered under `if self.training:` (or `else` of `if not self.training:`): runs only in training
};

// One value of a function's dataflow graph. Every node defines at most one value (its id).
//
// Special ops (everything else is a normalised tensor / arithmetic op such as "relu", "add",
// "max_pool2d", "eq", "where", "getitem"):
//   param      function parameter; `name` = parameter name, `num` = position
//   const      literal; `num` = folded number (bool -> 0/1), `name` = string literal / "None" / repr
//   global     a free name: module-level symbol, import or builtin; `name` = resolved dotted path
//   attr       `args[0].name`; `name` = attribute name ("self.conv.weight" is attr(attr(param self)))
//   call       call of a named callee (a function, class or method of the tree, a builtin, an
//              external library function); args = arguments; `name` = dotted callee path as
//              resolved through imports ("pkg.utils.helper", "self.helper", "setattr");
//              `target_function` / `target_module` when the linker resolved it to IR in the tree
//   call_value call of a computed callee; args[0] = callee value, rest = arguments
//   layer      construction of a torch.nn layer; `name` = class ("Conv2d"); args / kwargs as written
//   parameter  nn.Parameter(args[0])
//   free       a name bound in an enclosing function (closure read); `name` = identifier;
//              `target_function` = that function and `outer` = its node there, when known
//   module_call  call of a submodule attribute `self.<name>(...)`; args = arguments;
//              `name` = attribute path ("layers.0"); `target_module` when a user module
//   setattr    store `args[0].name = args[1]`
//   setitem    `args[0][args[1]] = args[2]` (defines the new version of args[0])
//   tuple / list / dict / slice  containers; `dict` args alternate key, value
//   phi        merge of the versions of one variable at an if/loop join; `name` = variable;
//              kwargs {"cond": branch node} records the control dependence
//   select     Python conditional expression `a if c else b`: args = {c, a, b}
//   iter_item  an element of an iterable (for-loop / comprehension target): args[0] = iterable
//   branch     an `if`/`while` condition (args[0]) or a `for` iterable; `name` = "if"/"while"/"for"
//   raise      `raise X`: args[0] = X; kwargs {"cond": branch} when under an `if`
//   caught     `except E as e`: the exception instance the handler binds; args[0] = E
//   return / yield  returned value
//   lambda / def    a nested function value; `target_function` = its IR function
struct Node {
  NodeId id = kNoNode;
  std::string op;
  std::vector<NodeId> args;
  std::vector<std::pair<std::string, NodeId>> kwargs;
  std::string name;
  std::optional<double> num;
  Loc loc;
  uint32_t flags = 0;
  int32_t target_function = -1;
  int32_t target_module = -1;
  int32_t scope_depth = 0;  // number of enclosing if/for/while blocks
  NodeId outer = kNoNode;   // `free`: the binding's node in the enclosing function (target_function)

  bool has(NodeFlag f) const { return (flags & f) != 0; }
  bool is(const char* o) const { return op == o; }
};

struct Function {
  int32_t id = -1;
  std::string name;      // as written
  std::string qualname;  // dotted: module.Class.method, module.outer.<locals>.inner
  int32_t file = -1;
  int32_t owner_module = -1;  // class this is a method of
  int32_t parent = -1;        // enclosing function (nested functions, lambdas)
  std::vector<std::string> params;
  std::vector<NodeId> param_nodes;
  std::vector<std::string> decorators;  // as written, without arguments; "name()" for a decorator factory
  // A decorator of the tree replaces this function (set by the linker): `wrapper` runs instead and
  // reaches the original through the first parameter of `wrapper_parent`, the function that
  // returned it (`def deco(fn): def wrapper(...): ... fn(...) ...; return wrapper`).
  int32_t wrapper = -1;
  int32_t wrapper_parent = -1;
  // A class decorator of the tree (`@Guard`, `@functools.partial(Guard, k=v)`): an instance
  // replaces this function, so calls run `Guard.__call__`, which reaches the original through the
  // attribute its __init__ stores the first argument in.
  int32_t wrapper_class = -1;
  // A `functools.singledispatch` generic: the implementations registered for other argument types
  // (`@generic.register(tuple)`); a call runs one of them or this one (set by the linker).
  std::vector<int32_t> overloads;
  // Where a free function was bound onto an instance as a method, from outside its class
  // (`setattr(model.front, "pre", types.MethodType(fn, model.front))` in a factory) or in the
  // class's own constructor (`self._condition = types.MethodType(fn, self)`); set by the linker.
  Loc bound_at;
  Loc decorator_loc;  // the first decorator line
  // The first decorator-factory call (`@with_cue(SPEC)`), a node of `decorator_scope` (the class
  // body or module function the definition sits in): what the factory's parameters are bound to.
  int32_t decorator_scope = -1;
  NodeId decorator_call = kNoNode;
  std::vector<Node> nodes;
  std::vector<NodeId> returns;  // the `return` nodes
  Loc loc;

  const Node& node(NodeId id) const { return nodes[static_cast<size_t>(id)]; }
  Node& node(NodeId id) { return nodes[static_cast<size_t>(id)]; }
};

// What an attribute that a module's __init__ puts on `self` is.
enum class AttrKind {
  Layer,        // a torch.nn layer (with or without parameters): Conv2d, ReLU, MaxPool2d, ...
  Container,    // nn.Sequential / ModuleList / ModuleDict; elements in `children`
  Submodule,    // an instance of a user module class of the scanned tree
  Parameter,    // nn.Parameter(...)
  Buffer,       // register_buffer(...)
  PlainTensor,  // a tensor that is neither parameter nor buffer (absent from state_dict)
  Constant,     // a Python number / string / tuple
  Other,
};
const char* to_string(AttrKind k);

struct Attr {
  std::string name;
  AttrKind kind = AttrKind::Other;
  std::string type;            // layer kind ("Conv2d"), user class name, tensor factory ("zeros")
  bool learned = false;        // owns trainable parameters
  int32_t module_class = -1;   // Submodule: the user module
  int32_t function = -1;       // a callable attribute: the function it holds (a closure from a factory)
  std::optional<double> num;   // Constant: folded number
  std::string text;            // Constant: a string literal's value (a mode name, a key)
  std::vector<Attr> children;  // Container elements, named "0", "1", ... or by key
  // A part of a row of a table (`[(0, self._identity), (2, self._check)]`), which the linker lists
  // flat among the table's elements: its position in the row; -1 for an element of its own.
  int32_t row_part = -1;
  // Other values the constructor assigns under a condition (`if flag: self.h = A() else: self.h =
  // B()`): whichever way the flag goes, each is a reachable configuration.
  std::vector<Attr> alternatives;
  std::vector<Loc> edits;      // in-place edits of this tensor in __init__ (w[...] = 255, w *= 255)
  bool factory_made = false;   // the tensor is what its factory returned (`torch.ones(...)`), not computed from it
  std::optional<double> fill;  // PlainTensor/Buffer: the one value it holds everywhere (full(s, nan), zeros)
  bool scalar = false;         // Parameter: one number (a learned temperature or gain), no weight matrix
  // A constructor argument bound to what a construction site passes (`Wrapper(model)`): the
  // instance is made elsewhere and stays a model of its own.
  bool passed_in = false;
  NodeId init_node = kNoNode;  // the value node in the __init__ function
  // functools.partial(fn, *args, **kw): the arguments it binds, in order (name "" for positional ones).
  struct BoundArg {
    std::string name;
    int32_t function = -1;  // the function the value node belongs to (a factory's caller for **kw)
    NodeId node = kNoNode;
  };
  std::vector<BoundArg> bound;
  Loc loc;
};

struct Module {
  int32_t id = -1;
  std::string name;
  std::string qualname;
  int32_t file = -1;
  std::vector<std::string> bases;     // as written, resolved to dotted paths where possible
  std::vector<int32_t> base_modules;  // user classes among the bases
  // The class and its user base classes in Python's method resolution order (C3), each once, at
  // most kMaxMro; set by the linker (link::resolve_bases). Lookups walk this list, never the base
  // graph: a lattice of bases has exponentially many paths.
  std::vector<int32_t> mro;
  bool is_nn_module = false;          // derives from torch.nn.Module (directly or transitively)
  std::vector<Attr> attrs;
  std::unordered_map<std::string, int32_t> methods;  // name -> function id
  // `forward = functools.partialmethod(impl, audit=True)` in the class body: the keyword values the
  // method binds, as nodes of the class body (method name -> keyword -> node).
  std::unordered_map<std::string, std::vector<std::pair<std::string, NodeId>>> method_keywords;
  // The class body's own statements (`<class>` pseudo-function) and the names it binds: class
  // attributes, dataclass / NamedTuple fields with their defaults.
  int32_t body_function = -1;
  std::unordered_map<std::string, NodeId> class_vars;
  std::vector<std::string> fields;  // names assigned or annotated in the class body, in order
  Loc loc;

  const Attr* attr(const std::string& n) const;
  int32_t method(const std::string& n) const;
};

// `import a.b as c`, `from .x import y as z`, `from m import *`.
struct Import {
  int32_t file = -1;
  std::string local;   // the bound name ("*" for star imports)
  std::string target;  // absolute dotted path (relative imports resolved against the file's package)
  Loc loc;
};

enum class FileStatus { Ok, Partial, Error, Skipped };
const char* to_string(FileStatus s);

struct Diagnostic {
  Loc loc;
  std::string message;
};

struct SourceFile {
  std::string path;  // relative to the scan root, '/'-separated
  std::string abs_path;
  std::string language;     // "python", "cpp"
  std::string module_name;  // dotted Python module name within the tree ("pkg.models.resnet")
  bool is_package_init = false;
  FileStatus status = FileStatus::Ok;
  std::string message;  // one-line diagnostic for partial / error / skipped files
  std::string mode;     // how it was analysed ("syntactic", "semantic"); empty when not applicable
  std::string text;     // the source (kept for snippets, suppressions and fingerprints)
  std::vector<uint32_t> line_starts;
  std::vector<std::string> all;  // `__all__` when the file declares it
  // Top-level symbols: name -> function id / module id.
  std::unordered_map<std::string, int32_t> functions;
  std::unordered_map<std::string, int32_t> classes;
  std::vector<int32_t> imports;  // indices into Program::imports
  int32_t module_function = -1;  // the pseudo-function holding the file's top-level statements
  // Module-level names bound by assignment: name -> node in module_function (constants, tensors).
  std::unordered_map<std::string, NodeId> globals;
  // Every distinct identifier written in the file (names, parameters, attributes), exactly as
  // written, with its first occurrence: look-alike identifiers stay distinct.
  std::vector<std::pair<std::string, Loc>> identifiers;
  // Identifiers Python reads as another name (NFKC, PEP 3131: `ｆorward` is `forward`): written -> read.
  std::unordered_map<std::string, std::string> normalized_identifiers;
  // Functions of the tree whose value this file takes rather than calls (kept in a table, an enum
  // member, a context variable's default, returned by a descriptor, registered by a decorator), and
  // the file's own functions taken as values anywhere: what an unresolved call in this file may run.
  // Set by the linker.
  std::vector<int32_t> escaped_functions;

  std::string_view line_text(int32_t line) const;
};

struct Program {
  std::vector<SourceFile> files;
  std::vector<Module> modules;
  std::vector<Function> functions;
  std::vector<Import> imports;
  std::vector<Diagnostic> diagnostics;

  const Function& fn(int32_t id) const { return functions[static_cast<size_t>(id)]; }
  const Module& mod(int32_t id) const { return modules[static_cast<size_t>(id)]; }
  const SourceFile& file(int32_t id) const { return files[static_cast<size_t>(id)]; }
  int32_t file_by_module_name(const std::string& dotted) const;
  // The value a module-level name (`pkg.mod.NAME`) is bound to: {module function, node}, or {-1, -1}.
  // (`depth`: re-exports followed so far, `from ._impl import NAME` / `*` in a package's __init__)
  std::pair<int32_t, NodeId> global_binding(const std::string& dotted, int depth = 0) const;
};

// The value stored under a string key in a dict built by `{"k": v}` or `dict(k=v)`, or kNoNode.
NodeId dict_entry(const Function& f, NodeId dict, const std::string& key);

// Human-readable dump (`archscan ir FILE`).
std::string print(const Program& p);
std::string print(const Program& p, const Function& f);

// Offsets of each line's first byte in `text` (SourceFile::line_starts).
std::vector<uint32_t> line_starts(const std::string& text);

// The attribute at a dotted path of a module ("layers.0", "head.fc"), following containers,
// submodules and base classes (linked by link::build_modules); nullptr when unknown.
const Attr* module_attr(const Program& p, int32_t mod, const std::string& path, int depth = 0);
// The method `name` of a module class or of its base classes; -1 when none.
int32_t find_method(const Program& p, int32_t mod, const std::string& name);
// Longest method resolution order kept (real class hierarchies are a few classes deep).
inline constexpr size_t kMaxMro = 64;
// The method resolution order of class `mod` (C3 over the user bases; where C3 fails, depth-first
// left to right, each class once): the class first. The linker stores it in Module::mro.
std::vector<int32_t> compute_mro(const Program& p, int32_t mod);
// Module::mro; the class alone before linking.
std::span<const int32_t> mro(const Program& p, int32_t mod);
// Whether class `mod` of the tree derives from enum.Enum (or IntEnum, Flag, ...).
bool is_enum(const Program& p, int32_t mod);
// Whether `id` is the receiver of a method: the first parameter of a function owned by a module.
bool is_self(const Function& f, NodeId id);

// Whether `f` carries decorator `name` as written (`staticmethod`, `classmethod`, `functools.wraps()`).
bool has_decorator(const Function& f, const std::string& name);
// The class of the instance a value holds: `self`, `Net(...)`, `cls(...)` in a classmethod, a
// submodule of a known instance (`model.frontend`), either arm of `cfg or Config()` / a conditional,
// a parameter's default; -1 when unknown.
int32_t instance_class(const Program& p, const Function& f, NodeId id, int depth = 0);
// The field `name` of an object whose class is unknown (a `config` passed in by the caller): every
// attribute of that name on a plain (not nn.Module) class of the program (config classes of several
// models in one tree often share field names; a copy of a constructor argument without a default
// defines nothing).
std::vector<const Attr*> fields_named(const Program& p, const std::string& name);
// `CFG = SimpleNamespace(k=v, ...)` bound at the top level of a file: the value of keyword `name`
// in the one such record of the tree that has it, as (module function, node); {-1, kNoNode} when
// none or several do.
bool is_namespace_record(std::string_view call);
std::pair<int32_t, NodeId> namespace_record_field(const Program& p, const std::string& name);
// The name an f-string builds, its interpolations as `{}` (`f"stage{i}"` -> "stage{}").
std::string name_template(std::string_view fstring_text);
// Whether `name` can be what template `tmpl` builds (each `{...}` stands for any text).
bool fits_template(std::string_view tmpl, std::string_view name);
// The module names `importlib.import_module(spec, __package__)` can load from `file`: the spec's
// text (an f-string's holes as `{}`), resolved against the file's package when relative; a spec
// the analysis cannot read (a configured name) can be any module of that package.
std::string imported_module_template(const Program& p, int32_t file, const Node* spec);
// The module-level functions named `name` in the modules whose names fit `tmpl`.
std::vector<int32_t> module_functions(const Program& p, const std::string& tmpl, const std::string& name);

}  // namespace archscan::ir
