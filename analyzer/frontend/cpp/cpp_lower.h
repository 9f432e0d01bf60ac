// Lowering of C++ (LibTorch modules, ggml graph builders) into the model IR. Internal to the C++
// front-end.
//
// Two walkers feed one builder: the semantic walker (Clang AST, cpp_clang.cpp) and the syntactic
// walker (tree-sitter-cpp, cpp_syntax.cpp). Walkers only say what the source *is* (a call of
// `torch::relu`, a method `exp` on a tensor, a read of member `conv1`, an assignment); every IR
// decision (op names, module calls, learned ggml ops, graph inputs, phis, registration idioms)
// is taken here, so both modes produce the same graph for the same code.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "frontend/frontend.h"
#include "ir/ir.h"

namespace archscan::frontend::cpp {

using ir::kNoNode;
using ir::NodeId;

// What a C++ value or declared entity is, as far as the walker knows.
enum class Kind {
  Unknown,
  Tensor,   // at::Tensor / torch::Tensor
  Module,   // a ModuleHolder (torch::nn::Conv2d), a user module holder, or an *Impl object
  Options,  // torch::nn::Conv2dOptions(...).padding(1) builder chains
  Scalar,   // arithmetic values
  Ggml,     // ggml_tensor*
  Graph,    // ggml_cgraph*
  Context,  // ggml_context*
  Struct,   // a user struct holding ggml weights (llama_model / llama_layer)
  Other,
};

// A data member of a user class.
struct FieldInfo {
  std::string name;
  std::string type;  // as written ("torch::nn::Conv2d", "torch::Tensor", "Block")
  Kind kind = Kind::Unknown;
  std::string elem_struct;  // std::vector<llama_layer> / llama_layer: the struct name
  bool is_static = false;
  std::optional<double> value;  // static constexpr numbers
  ir::Loc loc;
};

// A class or struct defined in the file.
struct ClassInfo {
  std::string name;                // "NetImpl"
  std::string qual;                // "ns::NetImpl"
  std::vector<std::string> bases;  // dotted ("torch.nn.Module")
  bool is_module = false;          // derives from torch::nn::Module (directly or through a class of the file)
  bool ggml_weights = false;       // holds ggml_tensor* fields (directly or in nested structs)
  std::vector<FieldInfo> fields;
  std::unordered_set<std::string> methods;
  int32_t module_id = -1;
  ir::Loc loc;
  const FieldInfo* field(const std::string& n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
};

// File-wide state shared by every function lowered from one file.
struct FileCtx {
  FileCtx(ir::Program& p, const Options& o);

  ir::Program& prog;
  const Options& opts;
  std::unordered_map<std::string, ClassInfo> classes;     // by simple name
  std::unordered_map<std::string, std::string> holders;   // TORCH_MODULE(Net): "Net" -> "NetImpl"
  std::unordered_map<std::string, int32_t> functions;     // free functions: simple and dotted names
  std::unordered_map<std::string, double> constants;      // file-scope constexpr numbers
  std::unordered_map<std::string, std::string> ns_alias;  // namespace F = torch::nn::functional
  bool using_torch = false;                               // using namespace torch / at
  std::unordered_set<std::string> seen_identifiers;
  bool too_deep = false;
  ir::Loc too_deep_loc;

  ir::SourceFile& file() { return prog.files[0]; }
  const std::string& module_name() { return prog.files[0].module_name; }
  void note_identifier(std::string_view name, const ir::Loc& at);
  ir::Loc loc(int32_t line, int32_t col, int32_t end_line, int32_t end_col) const;

  // Registers a class of the file (by simple name); creates its ir::Module when it is a module.
  ClassInfo& add_class(ClassInfo c);
  const ClassInfo* cls(const std::string& simple_or_qual) const;  // also through TORCH_MODULE holders
  // Creates an empty function; `owner` = module id or -1.
  int32_t new_function(const std::string& name, const std::string& qual_cpp, int32_t owner, int32_t parent,
                       const ir::Loc& at, bool file_level = true);
  // Dotted name of a C++ qualified name, with namespace aliases and `at::` / `c10::` folded to torch.
  std::string dotted(std::string_view qualified) const;
  // Creates modules for ggml weight structs that are passed to graph builders (see ggml_model_param).
  int32_t ggml_module(const std::string& struct_name);
  // Builds what the linker needs to see about modules whose attributes do not come from an
  // __init__ (ggml weight structs); run once after all functions are lowered.
  void finish();
};

// An assignment target.
struct Target {
  enum Kind { None, Var, Member, Index } kind = None;
  std::string name;        // Var / Member
  NodeId obj = kNoNode;    // Member: object; Index: base value
  NodeId index = kNoNode;  // Index
  std::string root_var;    // Index / Member chains: the local variable to rebind, if any
  ir::Loc loc;
};

// A call argument; `key` non-empty for option setters folded into keyword arguments.
struct Args {
  std::vector<NodeId> pos;
  std::vector<std::pair<std::string, NodeId>> kw;
};

// Lowers one function body into an ir::Function.
class FnBuilder {
 public:
  FnBuilder(FileCtx& fc, int32_t fn_id, const ClassInfo* owner, FnBuilder* parent = nullptr);

  ir::Function& fn() { return fc_.prog.functions[static_cast<size_t>(fn_id_)]; }
  int32_t fn_id() const { return fn_id_; }
  FileCtx& fc() { return fc_; }
  const ClassInfo* owner() const { return owner_; }
  int depth = 0;  // walker recursion depth (for Options::max_depth)
  bool check_depth(const ir::Loc& at);

  // Parameters. Methods get a synthetic `self` at position 0.
  NodeId add_self(const ir::Loc& at, const std::string& name = "self");
  // `def`: the lowered default argument (kwargs {"default": def}, as the Python front-end does).
  NodeId add_param(const std::string& name, Kind kind, const ir::Loc& at, const std::string& type = {},
                   NodeId def = kNoNode);
  // ggml builders: the weight struct parameter becomes `self` of a synthetic module.
  bool ggml_model_param(const std::string& name, const std::string& struct_name, const ir::Loc& at);

  // Primitives.
  NodeId emit(std::string op, std::vector<NodeId> args, const ir::Loc& at, std::string name = {});
  NodeId constant(double v, const ir::Loc& at, std::string repr = {});
  NodeId string_const(std::string s, const ir::Loc& at);
  NodeId none(const ir::Loc& at);
  NodeId unknown(std::vector<NodeId> args, const ir::Loc& at, std::string what);
  NodeId global(const std::string& dotted, const ir::Loc& at);
  void statement(NodeId id);
  void fold(NodeId id);

  // Names. `read` resolves a local, then a member of the owner class (attr(self, name)), then a
  // file constant, then a global.
  NodeId read(const std::string& name, const ir::Loc& at);
  // A qualified name used as a value (`torch::kFloat`, `GGML_TYPE_F32`, `ns::kThreshold`).
  NodeId read_qualified(const std::string& qualified, const ir::Loc& at, std::optional<double> value = {});
  bool is_local(const std::string& name) const;
  void declare(const std::string& name, NodeId v, Kind k = Kind::Unknown);
  Kind kind_of_var(const std::string& name) const;
  Kind member_kind(const std::string& name) const;  // of the owner class
  NodeId self() const { return self_; }
  NodeId member(NodeId obj, const std::string& name, const ir::Loc& at);  // obj.name / obj->name
  NodeId self_member(const std::string& name, const ir::Loc& at);
  bool is_self_rooted(NodeId id, std::string* path = nullptr) const;  // attr chain on self
  bool is_weight(NodeId id) const;                                    // ggml: a tensor of the weight struct

  // Expressions.
  NodeId binary(std::string_view tok, NodeId l, NodeId r, const ir::Loc& at);
  NodeId unary(std::string_view tok, NodeId a, const ir::Loc& at);
  NodeId subscript(NodeId base, NodeId idx, const ir::Loc& at);
  NodeId tuple(std::vector<NodeId> items, const ir::Loc& at, const char* op = "tuple");
  NodeId select(NodeId c, NodeId a, NodeId b, const ir::Loc& at);
  NodeId cast(NodeId v, const std::string& type, const ir::Loc& at);  // static_cast<float>(x), (float)x

  // Calls. `qualified` is the C++ name ("torch::relu", "F::conv2d", "ggml_add", "helper").
  // `template_args` are explicit template arguments (`std::get<0>`, `std::make_shared<NetImpl>`).
  NodeId call_free(const std::string& qualified, Args args, const ir::Loc& at,
                   const std::vector<std::string>& template_args = {}, int32_t target_fn = -1);
  // recv.method(args) / recv->method(args); `recv_kind` from types or declarations.
  NodeId call_method(NodeId recv, Kind recv_kind, const std::string& method, Args args, const ir::Loc& at, bool arrow,
                     const std::string& recv_var = {});
  // method(args) / this->method(args) inside a method of the owner class.
  NodeId call_self_method(const std::string& method, Args args, const ir::Loc& at);
  // callee(args) where callee is a value: a module holder's operator(), a lambda, a function pointer.
  NodeId call_value(NodeId callee, Kind callee_kind, Args args, const ir::Loc& at);
  // T(args) / T{args} / std::make_shared<T>(args): layers, options, user modules, tensors.
  NodeId construct(const std::string& type, Args args, const ir::Loc& at);
  NodeId lambda_value(int32_t fn_id, const ir::Loc& at);
  Kind kind_of(NodeId id) const;

  // Assignment.
  Target target_var(const std::string& name, const ir::Loc& at);
  Target target_member(NodeId obj, const std::string& name, const ir::Loc& at);
  Target target_index(NodeId base, NodeId idx, const std::string& root_var, const ir::Loc& at);
  NodeId load(const Target& t);
  void store(const Target& t, NodeId v, const ir::Loc& at, bool in_place = false);
  NodeId compound(const Target& t, std::string_view tok, NodeId rhs, const ir::Loc& at);  // t op= rhs

  // Control flow.
  NodeId begin_if(NodeId cond, const ir::Loc& at);
  void begin_else();
  void end_if(const ir::Loc& at);
  // Loops: `assigned` are the names the body (and update) may rebind.
  NodeId begin_loop(const char* kind, NodeId head, const std::vector<std::string>& assigned, const ir::Loc& at);
  void end_loop();
  NodeId ret(NodeId v, const ir::Loc& at);
  void push_scope();
  void pop_scope();
  // After the body: ggml graph builders become their weight struct's `forward`.
  void finish();

 private:
  using Env = std::unordered_map<std::string, NodeId>;
  struct IfFrame {
    Env before, then_env;
    NodeId branch;
    bool in_else = false;
  };
  struct LoopFrame {
    std::vector<std::pair<std::string, NodeId>> phis;
    NodeId branch;
  };

  NodeId lookup(const std::string& name) const;
  bool bound_in_parents(const std::string& name) const;
  NodeId tensor_op(const std::string& name, const std::string& display, Args args, const ir::Loc& at,
                   NodeId recv = kNoNode);
  NodeId ggml_call(const std::string& fname, Args args, const ir::Loc& at);
  NodeId host_leaf(NodeId leaf, const ir::Loc& at);
  std::optional<bool> bool_literal(NodeId id) const;
  NodeId options_value(const std::string& cls, Args args, const ir::Loc& at);
  NodeId module_call_node(const std::string& path, Args args, const ir::Loc& at);
  void rebind_in_place(NodeId op, NodeId recv, const std::string& recv_var, const ir::Loc& at);
  void apply_args(NodeId call, Args args);
  std::string local_name(const std::string& dotted) const;  // module-qualified name for the linker
  void merge(const Env& a, const Env& b, NodeId cond, const ir::Loc& at);

  FileCtx& fc_;
  int32_t fn_id_;
  const ClassInfo* owner_;
  FnBuilder* parent_;
  NodeId self_ = kNoNode;
  bool ggml_builder_ = false;
  Env env_;
  std::unordered_map<std::string, Kind> var_kind_;
  std::unordered_map<NodeId, Kind> node_kind_;
  std::unordered_map<std::string, NodeId> member_value_;  // members assigned earlier in this function
  std::vector<IfFrame> ifs_;
  std::vector<LoopFrame> loops_;
  int scope_depth_ = 0;
  std::vector<std::unordered_set<std::string>> scopes_;                  // block-local declarations
  std::vector<std::tuple<size_t, std::string, NodeId, Kind>> shadowed_;  // (scope level, name, previous)
  std::unordered_map<NodeId, NodeId> registered_;                        // value -> its register_* node
  std::unordered_set<NodeId> ggml_new_;               // ggml_new_tensor* results (graph input candidates)
  std::unordered_map<NodeId, std::string> ggml_var_;  // ... and the variable holding them
  std::unordered_set<NodeId> ggml_inputs_;
  bool ggml_forward_ = false;  // builds a ggml graph
};

// Kind of a C++ type spelling ("torch::Tensor", "torch::nn::Conv2d", "const at::Tensor &").
Kind kind_of_type(const FileCtx& fc, std::string_view type, std::string* struct_name = nullptr);
// The layer class of a torch::nn holder / Impl spelling ("torch::nn::Conv2d" -> "Conv2d"), or "".
std::string torch_layer_class(std::string_view dotted);
// Whether a dotted callee lies in a tensor-op namespace (torch., torch.nn.functional., std. math).
bool is_tensor_namespace(const std::string& dotted);
// Names the syntactic walker may treat as torch ops under `using namespace torch`.
bool is_known_tensor_function(std::string_view name);

// Module name of a C++ file from its scan-relative path ("models/net.cpp" -> "models.net_cpp").
std::string cpp_module_name(const std::string& rel_path);

// The two lowerings. Both fill prog.files[0] (language, mode, status, message) and add functions,
// modules and imports. `lower_semantic` returns false (leaving the fragment untouched) when the
// semantic mode cannot run (no torch/ggml headers); `why` then says what was missing.
bool lower_semantic(ir::Program& prog, const Options& opts, std::string& why);
void lower_syntactic(ir::Program& prog, const Options& opts);

// Lexical facts shared by both modes (so they agree): `#include` lines (quoted ones that resolve
// to files of the tree become star imports) and every identifier as written.
struct Include {
  std::string path;
  bool quoted = false;
  ir::Loc loc;
};
std::vector<Include> scan_includes(const std::string& text);
void add_include_imports(ir::Program& prog, const std::vector<Include>& includes);
void collect_identifiers(ir::Program& prog);

}  // namespace archscan::frontend::cpp
