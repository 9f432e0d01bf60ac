// The IR builder shared by the semantic (Clang) and syntactic (tree-sitter) C++ walkers.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "frontend/cpp/cpp_lower.h"
#include "ir/fold.h"
#include "ir/ops.h"

namespace archscan::frontend::cpp {

namespace fs = std::filesystem;

namespace {

std::string strip_spaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  return out;
}

std::string last_component(const std::string& d) {
  auto pos = d.rfind('.');
  return pos == std::string::npos ? d : d.substr(pos + 1);
}

// C math functions (`sqrtf`, `expf`, `pow`) that compute the same op as their torch twins.
std::string c_math_op(const std::string& n) {
  static const std::unordered_set<std::string> base = {"exp",  "log",  "pow",   "sqrt",  "abs",  "fabs",  "sin",
                                                       "cos",  "tan",  "tanh",  "floor", "ceil", "round", "fmod",
                                                       "exp2", "log2", "log10", "fmax",  "fmin", "expm1", "log1p"};
  std::string b = n;
  if (base.count(b)) return b == "fabs" ? "abs" : b;
  if (b.size() > 1 && b.back() == 'f' && base.count(b.substr(0, b.size() - 1))) {
    b.pop_back();
    return b == "fabs" ? "abs" : b;
  }
  return {};
}

// ggml functions that do not take the context as their first argument.
bool ggml_without_ctx(const std::string& base) {
  static const std::unordered_set<std::string> s = {"set_input",
                                                    "set_output",
                                                    "set_name",
                                                    "format_name",
                                                    "set_param",
                                                    "build_forward_expand",
                                                    "build_backward_expand",
                                                    "nelements",
                                                    "nbytes",
                                                    "nrows",
                                                    "get_name",
                                                    "n_dims",
                                                    "element_size",
                                                    "free",
                                                    "init",
                                                    "graph_compute_with_ctx",
                                                    "graph_compute",
                                                    "graph_node",
                                                    "graph_n_nodes",
                                                    "is_contiguous",
                                                    "is_transposed",
                                                    "is_permuted",
                                                    "get_f32_1d",
                                                    "get_i32_1d",
                                                    "set_f32",
                                                    "set_i32",
                                                    "tensor_overhead",
                                                    "type_size",
                                                    "blck_size",
                                                    "row_size",
                                                    "get_data",
                                                    "get_data_f32",
                                                    "backend_tensor_set",
                                                    "backend_tensor_get"};
  return s.count(base) != 0;
}

std::string ggml_base_op(std::string base, bool* in_place) {
  *in_place = false;
  if (base.ends_with("_inplace")) {
    base = base.substr(0, base.size() - 8);
    *in_place = true;
  }
  static const std::unordered_map<std::string, std::string> m = {
      {"sqr", "square"},
      {"sgn", "sign"},
      {"soft_max", "softmax"},
      {"soft_max_ext", "softmax"},
      {"norm", "layer_norm"},
      {"rms_norm", "rms_norm"},
      {"group_norm", "group_norm"},
      {"cont", "contiguous"},
      {"reshape_1d", "reshape"},
      {"reshape_2d", "reshape"},
      {"reshape_3d", "reshape"},
      {"reshape_4d", "reshape"},
      {"view_1d", "view"},
      {"view_2d", "view"},
      {"view_3d", "view"},
      {"view_4d", "view"},
      {"cpy", "copy"},
      {"dup", "clone"},
      {"sum_rows", "sum"},
      {"concat", "cat"},
      {"diag_mask_inf", "masked_fill"},
      {"diag_mask_zero", "masked_fill"},
      {"gelu_quick", "gelu"},
      {"add1", "add"},
      {"acc", "add"},
      {"scale", "mul"},
      {"cast", "to"},
      {"cont_2d", "contiguous"},
      {"cont_3d", "contiguous"},
      {"cont_4d", "contiguous"},
      {"rope_ext", "rope"},
      {"pool_2d", "pool2d"},
      {"pool_1d", "pool1d"},
      {"argsort", "argsort"},
      {"top_k", "topk"},
      {"leaky_relu", "leaky_relu"},
      {"hardsigmoid", "hardsigmoid"},
      {"hardswish", "hardswish"},
      {"flash_attn_ext", "scaled_dot_product_attention"},
      {"im2col", "unfold"},
      {"conv_2d", "conv2d"},
      {"conv_1d", "conv1d"},
      {"pad", "pad"},
      {"arange", "arange"},
  };
  auto it = m.find(base);
  if (it != m.end()) return it->second;
  bool ip = false;
  std::string op = ir::canonical_op(base, &ip);
  if (ip) *in_place = true;
  return op;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Free helpers

bool is_tensor_namespace(const std::string& d) {
  if (d.starts_with("torch.nn.functional.") || d.starts_with("torch.special.") || d.starts_with("torch.linalg.") ||
      d.starts_with("torch.fft."))
    return true;
  if (d.starts_with("torch.nn.") || d.starts_with("torch.indexing.") || d.starts_with("torch.jit.") ||
      d.starts_with("torch.serialize.") || d.starts_with("torch.data.") || d.starts_with("torch.optim."))
    return false;
  if (d.starts_with("torch.")) return true;
  if (d.starts_with("std.") && d.find('.', 4) == std::string::npos) {
    std::string n = d.substr(4);
    return !c_math_op(n).empty() || n == "min" || n == "max" || n == "clamp";
  }
  return false;
}

bool is_known_tensor_function(std::string_view name) {
  static const std::unordered_set<std::string_view> extra = {
      "where",     "cat",     "stack",  "masked_fill", "index_select", "gather",   "scatter", "one_hot",
      "sigmoid",   "softmax", "isin",   "topk",        "sort",         "argsort",  "cumsum",  "roll",
      "flip",      "conv2d",  "conv1d", "linear",      "embedding",    "matmul",   "einsum",  "interpolate",
      "pad",       "zeros",   "ones",   "full",        "rand",         "randn",    "arange",  "tensor",
      "from_blob", "eye",     "empty",  "zeros_like",  "ones_like",    "full_like"};
  if (extra.count(name)) return true;
  return ir::is_pooling(name) || ir::is_activation(name) || ir::is_reduction(name) || ir::is_comparison(name) ||
         ir::is_elementwise_math(name) || ir::is_tensor_factory(name) || ir::is_learned_functional(name) ||
         (ir::is_threshold_like(name) && name != "int" && name != "bool" && name != "long");
}

std::string torch_layer_class(std::string_view dotted) {
  std::string d(dotted);
  if (!(d.starts_with("torch.nn.") || d.starts_with("nn."))) return {};
  if (d.starts_with("torch.nn.functional.")) return {};
  std::string cls = last_component(d);
  if (cls.ends_with("Impl")) cls = cls.substr(0, cls.size() - 4);
  if (cls == "Functional" || cls == "AnyModule") return cls;
  return ir::torch_layer(cls) ? cls : std::string();
}

std::string cpp_module_name(const std::string& rel_path) {
  std::string p = rel_path;
  std::replace(p.begin(), p.end(), '\\', '/');
  while (p.starts_with("./")) p = p.substr(2);
  fs::path fp(p);
  std::string ext = fp.extension().string();
  std::string stem = fp.stem().string() + (ext.empty() ? "" : "_" + ext.substr(1));
  std::string dir = fp.parent_path().generic_string();
  std::string out;
  for (char c : dir) out += c == '/' ? '.' : c;
  auto clean = [](std::string s) {
    for (char& c : s)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) c = '_';
    return s;
  };
  return clean(out.empty() ? stem : out + "." + stem);
}

Kind kind_of_type(const FileCtx& fc, std::string_view type, std::string* struct_name) {
  std::string t = strip_spaces(type);
  auto erase_all = [&](const std::string& w) {
    for (size_t p; (p = t.find(w)) != std::string::npos;) t.erase(p, w.size());
  };
  erase_all("const");
  erase_all("volatile");
  erase_all("struct");
  bool pointer = t.find('*') != std::string::npos;
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '&' || c == '*'; }), t.end());
  if (t.starts_with("::")) t = t.substr(2);
  if (t == "ggml_tensor") return Kind::Ggml;
  if (t == "ggml_cgraph") return Kind::Graph;
  if (t == "ggml_context") return Kind::Context;
  if (t == "torch::Tensor" || t == "at::Tensor" || t == "Tensor" || t == "torch::autograd::Variable")
    return Kind::Tensor;
  if (t == "int" || t == "float" || t == "double" || t == "int64_t" || t == "int32_t" || t == "bool" || t == "size_t" ||
      t == "long" || t == "unsigned" || t == "uint32_t" || t == "torch::Scalar" || t == "at::Scalar" ||
      t == "c10::Scalar" || t == "std::int64_t")
    return Kind::Scalar;
  // std::shared_ptr<FooImpl>, std::vector<llama_layer>
  auto inner = [&](const char* tmpl) -> std::string {
    if (!t.starts_with(tmpl)) return {};
    auto a = t.find('<'), b = t.rfind('>');
    if (a == std::string::npos || b == std::string::npos || b < a) return {};
    return t.substr(a + 1, b - a - 1);
  };
  if (std::string in = inner("std::shared_ptr<"); !in.empty()) {
    Kind k = kind_of_type(fc, in, struct_name);
    return k == Kind::Unknown ? Kind::Other : k;
  }
  if (std::string in = inner("std::vector<"); !in.empty()) {
    std::string sn;
    Kind k = kind_of_type(fc, in, &sn);
    if (k == Kind::Struct) {
      if (struct_name) *struct_name = sn;
      return Kind::Struct;
    }
    return Kind::Other;
  }
  std::string d = fc.dotted(t);
  if (!torch_layer_class(d).empty() || d == "torch.nn.Sequential" || d == "torch.nn.ModuleList" ||
      d.starts_with("torch.nn.ModuleHolder") || d == "torch.nn.AnyModule")
    return Kind::Module;
  if (d.ends_with("Options") && (d.starts_with("torch.nn.") || d.starts_with("nn."))) return Kind::Options;
  std::string simple = last_component(d);
  if (const ClassInfo* c = fc.cls(simple)) {
    if (c->is_module) return Kind::Module;
    if (c->ggml_weights) {
      if (struct_name) *struct_name = c->name;
      return Kind::Struct;
    }
    return Kind::Other;
  }
  (void)pointer;
  return Kind::Unknown;
}

// ---------------------------------------------------------------------------------------------
// FileCtx

FileCtx::FileCtx(ir::Program& p, const Options& o) : prog(p), opts(o) {}

void FileCtx::note_identifier(std::string_view name, const ir::Loc& at) {
  if (name.empty()) return;
  std::string n(name);
  if (!seen_identifiers.insert(n).second) return;
  file().identifiers.emplace_back(std::move(n), at);
}

ir::Loc FileCtx::loc(int32_t line, int32_t col, int32_t end_line, int32_t end_col) const {
  ir::Loc l;
  l.file = 0;
  l.line = line;
  l.col = col;
  l.end_line = end_line;
  l.end_col = end_col;
  return l;
}

ClassInfo& FileCtx::add_class(ClassInfo c) {
  std::string key = c.name;
  auto it = classes.find(key);
  if (it != classes.end() && it->second.module_id >= 0) {
    // A second definition (another namespace or a specialization): keep the first module.
    return it->second;
  }
  ClassInfo& ci = classes[key] = std::move(c);
  if (ci.is_module) {
    int32_t mid = static_cast<int32_t>(prog.modules.size());
    prog.modules.emplace_back();
    ir::Module& m = prog.modules.back();
    m.id = mid;
    m.name = ci.name;
    std::string q = dotted(ci.qual.empty() ? ci.name : ci.qual);
    m.qualname = module_name().empty() ? q : module_name() + "." + q;
    m.file = 0;
    m.bases = ci.bases;
    m.is_nn_module = true;
    m.loc = ci.loc;
    ci.module_id = mid;
    file().classes[ci.name] = mid;
  }
  return ci;
}

const ClassInfo* FileCtx::cls(const std::string& name) const {
  auto it = classes.find(name);
  if (it != classes.end()) return &it->second;
  auto h = holders.find(name);
  if (h != holders.end()) {
    it = classes.find(h->second);
    if (it != classes.end()) return &it->second;
  }
  return nullptr;
}

int32_t FileCtx::new_function(const std::string& name, const std::string& qual_cpp, int32_t owner, int32_t parent,
                              const ir::Loc& at, bool file_level) {
  int32_t id = static_cast<int32_t>(prog.functions.size());
  prog.functions.emplace_back();
  ir::Function& f = prog.functions.back();
  f.id = id;
  f.name = name;
  std::string q = dotted(qual_cpp.empty() ? name : qual_cpp);
  f.qualname = module_name().empty() ? q : module_name() + "." + q;
  f.file = 0;
  f.owner_module = owner;
  f.parent = parent;
  f.loc = at;
  if (owner >= 0) {
    auto& methods = prog.modules[static_cast<size_t>(owner)].methods;
    if (!methods.count(name)) methods[name] = id;
  } else if (parent < 0 && file_level) {
    functions.emplace(name, id);
    if (!file().functions.count(name)) file().functions[name] = id;
    std::string dq = dotted(qual_cpp);
    if (!dq.empty() && dq != name) functions.emplace(dq, id);
  }
  return id;
}

std::string FileCtx::dotted(std::string_view qualified) const {
  std::string q(qualified);
  if (q.starts_with("::")) q = q.substr(2);
  // Drop template arguments: torch::nn::ModuleHolder<X> -> torch::nn::ModuleHolder.
  std::string no_t;
  int depth = 0;
  for (char c : q) {
    if (c == '<')
      ++depth;
    else if (c == '>')
      depth = std::max(0, depth - 1);
    else if (depth == 0)
      no_t += c;
  }
  q = no_t;
  std::vector<std::string> parts;
  for (size_t a = 0;;) {
    size_t b = q.find("::", a);
    parts.push_back(q.substr(a, b == std::string::npos ? std::string::npos : b - a));
    if (b == std::string::npos) break;
    a = b + 2;
  }
  // Namespace aliases on the first component (a few rounds: aliases of aliases).
  for (int round = 0; round < 4 && parts.size() > 1; ++round) {
    auto it = ns_alias.find(parts[0]);
    if (it == ns_alias.end()) break;
    std::vector<std::string> rep;
    std::string t = it->second;
    if (t.starts_with("::")) t = t.substr(2);
    for (size_t a = 0;;) {
      size_t b = t.find("::", a);
      rep.push_back(t.substr(a, b == std::string::npos ? std::string::npos : b - a));
      if (b == std::string::npos) break;
      a = b + 2;
    }
    parts.erase(parts.begin());
    parts.insert(parts.begin(), rep.begin(), rep.end());
  }
  if (!parts.empty() && (parts[0] == "at" || parts[0] == "c10")) parts[0] = "torch";
  // `using namespace torch;` then `nn::Conv2d`.
  if (using_torch && parts.size() > 1 &&
      (parts[0] == "nn" || parts[0] == "indexing" || parts[0] == "special" || parts[0] == "linalg" ||
       parts[0] == "fft"))
    parts.insert(parts.begin(), "torch");
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    out += (out.empty() ? "" : ".") + p;
  }
  return out;
}

int32_t FileCtx::ggml_module(const std::string& struct_name) {
  auto it = classes.find(struct_name);
  if (it == classes.end()) return -1;
  ClassInfo& ci = it->second;
  if (ci.module_id >= 0) return ci.module_id;
  int32_t mid = static_cast<int32_t>(prog.modules.size());
  prog.modules.emplace_back();
  ir::Module& m = prog.modules.back();
  m.id = mid;
  m.name = ci.name;
  std::string q = dotted(ci.qual.empty() ? ci.name : ci.qual);
  m.qualname = module_name().empty() ? q : module_name() + "." + q;
  m.file = 0;
  m.bases = ci.bases;
  m.loc = ci.loc;
  ci.module_id = mid;
  file().classes[ci.name] = mid;
  // Nested weight structs (llama_layer inside llama_model) become modules too.
  for (const auto& f : ci.fields)
    if (f.kind == Kind::Struct && !f.elem_struct.empty() && f.elem_struct != ci.name) ggml_module(f.elem_struct);
  return mid;
}

void FileCtx::finish() {
  // ggml weight structs: a synthetic __init__ that puts each ggml_tensor* field on `self` as a
  // parameter (the weights are loaded from the model file), so the linker builds their attributes
  // like those of a torch module.
  for (auto& [name, ci] : classes) {
    if (!ci.ggml_weights || ci.module_id < 0 || ci.is_module) continue;
    ir::Module& m = prog.modules[static_cast<size_t>(ci.module_id)];
    if (m.methods.count("__init__")) continue;
    int32_t fid = new_function("__init__", ci.qual + "::__init__", ci.module_id, -1, ci.loc);
    FnBuilder b(*this, fid, &ci);
    b.add_self(ci.loc);
    for (const auto& f : ci.fields) {
      if (f.kind == Kind::Ggml) {
        NodeId p = b.emit("parameter", {}, f.loc, "ggml_tensor");
        NodeId s = b.emit("setattr", {b.self(), p}, f.loc, f.name);
        b.statement(s);
      } else if (f.kind == Kind::Struct && !f.elem_struct.empty()) {
        const ClassInfo* sub = cls(f.elem_struct);
        if (!sub || sub->module_id < 0) continue;
        NodeId c = b.emit("call", {}, f.loc, module_name().empty() ? sub->name : module_name() + "." + sub->name);
        prog.functions[static_cast<size_t>(fid)].node(c).target_module = sub->module_id;
        NodeId v = c;
        if (f.type.find("vector") != std::string::npos || f.type.find('[') != std::string::npos) {
          v = b.emit("layer", {c}, f.loc, "ModuleList");
        }
        NodeId s = b.emit("setattr", {b.self(), v}, f.loc, f.name);
        b.statement(s);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// FnBuilder

FnBuilder::FnBuilder(FileCtx& fc, int32_t fn_id, const ClassInfo* owner, FnBuilder* parent)
    : fc_(fc), fn_id_(fn_id), owner_(owner), parent_(parent) {
  scopes_.emplace_back();
}

bool FnBuilder::check_depth(const ir::Loc& at) {
  if (depth < fc_.opts.max_depth) return true;
  if (!fc_.too_deep) {
    fc_.too_deep = true;
    fc_.too_deep_loc = at;
  }
  return false;
}

NodeId FnBuilder::emit(std::string op, std::vector<NodeId> args, const ir::Loc& at, std::string name) {
  ir::Function& f = fn();
  ir::Node n;
  n.id = static_cast<NodeId>(f.nodes.size());
  n.op = std::move(op);
  args.erase(std::remove(args.begin(), args.end(), kNoNode), args.end());
  n.args = std::move(args);
  n.name = std::move(name);
  n.loc = at;
  n.scope_depth = scope_depth_;
  f.nodes.push_back(std::move(n));
  return f.nodes.back().id;
}

NodeId FnBuilder::constant(double v, const ir::Loc& at, std::string repr) {
  NodeId id = emit("const", {}, at, std::move(repr));
  fn().node(id).num = v;
  node_kind_[id] = Kind::Scalar;
  return id;
}

NodeId FnBuilder::string_const(std::string s, const ir::Loc& at) {
  NodeId id = emit("const", {}, at, std::move(s));
  fn().node(id).kwargs.emplace_back("string", kNoNode);
  return id;
}

NodeId FnBuilder::none(const ir::Loc& at) { return emit("const", {}, at, "None"); }

NodeId FnBuilder::unknown(std::vector<NodeId> args, const ir::Loc& at, std::string what) {
  return emit("unknown", std::move(args), at, std::move(what));
}

NodeId FnBuilder::global(const std::string& dotted, const ir::Loc& at) { return emit("global", {}, at, dotted); }

void FnBuilder::statement(NodeId id) {
  if (id != kNoNode && id >= 0 && static_cast<size_t>(id) < fn().nodes.size()) fn().node(id).flags |= ir::kStatement;
}

void FnBuilder::fold(NodeId id) { ir::fold_constant(fn(), id); }

NodeId FnBuilder::add_self(const ir::Loc& at, const std::string& name) {
  NodeId id = emit("param", {}, at, name);
  fn().node(id).num = static_cast<double>(fn().params.size());
  fn().params.push_back(name);
  fn().param_nodes.push_back(id);
  self_ = id;
  node_kind_[id] = owner_ && owner_->ggml_weights ? Kind::Struct : Kind::Module;
  return id;
}

NodeId FnBuilder::add_param(const std::string& name, Kind kind, const ir::Loc& at, const std::string& type,
                            NodeId def) {
  NodeId id = emit("param", {}, at, name);
  fn().node(id).num = static_cast<double>(fn().params.size());
  if (def != kNoNode) fn().node(id).kwargs.emplace_back("default", def);
  fn().params.push_back(name);
  fn().param_nodes.push_back(id);
  if (!name.empty()) declare(name, id, kind);
  node_kind_[id] = kind;
  (void)type;
  return id;
}

bool FnBuilder::ggml_model_param(const std::string& name, const std::string& struct_name, const ir::Loc& at) {
  if (self_ != kNoNode || !fn().params.empty()) return false;
  int32_t mid = fc_.ggml_module(struct_name);
  if (mid < 0) return false;
  ir::Function& f = fn();
  f.owner_module = mid;
  owner_ = fc_.cls(struct_name);
  ggml_builder_ = true;
  // Helpers keep their names; the graph builder also becomes `forward` (see finish()).
  auto& methods = fc_.prog.modules[static_cast<size_t>(mid)].methods;
  if (!methods.count(f.name)) methods[f.name] = fn_id_;
  add_self(at, name);
  declare(name, self_, Kind::Struct);
  return true;
}

NodeId FnBuilder::lookup(const std::string& name) const {
  auto it = env_.find(name);
  return it == env_.end() ? kNoNode : it->second;
}

bool FnBuilder::bound_in_parents(const std::string& name) const {
  for (const FnBuilder* p = parent_; p; p = p->parent_)
    if (p->env_.count(name)) return true;
  return false;
}

bool FnBuilder::is_local(const std::string& name) const { return env_.count(name) != 0; }

void FnBuilder::declare(const std::string& name, NodeId v, Kind k) {
  auto& scope = scopes_.back();
  std::string key = name;
  if (!scope.count(key)) {
    scope.insert(key);
    // Remember the shadowed binding under a mangled key so pop_scope can restore it.
    NodeId prev = lookup(name);
    shadowed_.emplace_back(scopes_.size(), name, prev, var_kind_.count(name) ? var_kind_[name] : Kind::Unknown);
  }
  env_[name] = v;
  if (k == Kind::Unknown) k = kind_of(v);
  var_kind_[name] = k;
  // ggml: remember which variable holds a freshly created tensor (graph inputs are named by it).
  if (v != kNoNode && ggml_new_.count(v) && !ggml_var_.count(v)) ggml_var_[v] = name;
}

void FnBuilder::push_scope() { scopes_.emplace_back(); }

void FnBuilder::pop_scope() {
  if (scopes_.size() <= 1) return;
  size_t level = scopes_.size();
  while (!shadowed_.empty() && std::get<0>(shadowed_.back()) == level) {
    auto& [lvl, name, prev, kind] = shadowed_.back();
    if (prev == kNoNode) {
      env_.erase(name);
      var_kind_.erase(name);
    } else {
      env_[name] = prev;
      var_kind_[name] = kind;
    }
    shadowed_.pop_back();
  }
  scopes_.pop_back();
}

Kind FnBuilder::kind_of_var(const std::string& name) const {
  auto it = var_kind_.find(name);
  return it == var_kind_.end() ? Kind::Unknown : it->second;
}

Kind FnBuilder::member_kind(const std::string& name) const {
  for (const ClassInfo* c = owner_; c;) {
    if (const FieldInfo* f = c->field(name)) return f->kind;
    // Fields of user base classes.
    const ClassInfo* next = nullptr;
    for (const auto& b : c->bases) {
      std::string simple = last_component(b);
      if (const ClassInfo* bc = fc_.cls(simple); bc && bc != c) {
        next = bc;
        break;
      }
    }
    c = next;
  }
  return Kind::Unknown;
}

Kind FnBuilder::kind_of(NodeId id) const {
  if (id == kNoNode) return Kind::Unknown;
  auto it = node_kind_.find(id);
  if (it != node_kind_.end()) return it->second;
  const ir::Node& n = const_cast<FnBuilder*>(this)->fn().node(id);
  if (n.op == "layer") return Kind::Module;
  if (n.op == "options") return Kind::Options;
  if (n.op == "const") return n.num ? Kind::Scalar : Kind::Other;
  return Kind::Unknown;
}

NodeId FnBuilder::read(const std::string& name, const ir::Loc& at) {
  NodeId v = lookup(name);
  if (v != kNoNode) return v;
  if (bound_in_parents(name)) {
    NodeId id = emit("free", {}, at, name);
    for (const FnBuilder* p = parent_; p; p = p->parent_)
      if (p->env_.count(name)) {
        node_kind_[id] = p->kind_of_var(name);
        break;
      }
    return id;
  }
  if (owner_ && (owner_->field(name) || member_kind(name) != Kind::Unknown)) return self_member(name, at);
  if (auto it = fc_.constants.find(name); it != fc_.constants.end()) return constant(it->second, at, name);
  if (auto it = fc_.functions.find(name); it != fc_.functions.end()) {
    NodeId g = global(fc_.module_name().empty() ? name : fc_.module_name() + "." + name, at);
    fn().node(g).target_function = it->second;
    return g;
  }
  return global(local_name(name), at);
}

NodeId FnBuilder::read_qualified(const std::string& qualified, const ir::Loc& at, std::optional<double> value) {
  std::string d = fc_.dotted(qualified);
  if (value) return constant(*value, at, d);
  if (auto it = fc_.constants.find(d); it != fc_.constants.end()) return constant(it->second, at, d);
  if (auto it = fc_.constants.find(last_component(d)); it != fc_.constants.end() &&
                                                       qualified.find("::") != std::string::npos &&
                                                       !d.starts_with("torch.") && !d.starts_with("std."))
    return constant(it->second, at, d);
  // Static constexpr members of classes of the file: Class::kValue.
  auto pos = d.rfind('.');
  if (pos != std::string::npos) {
    std::string cls = d.substr(0, pos);
    if (const ClassInfo* c = fc_.cls(last_component(cls)))
      if (const FieldInfo* f = c->field(d.substr(pos + 1)); f && f->value) return constant(*f->value, at, d);
  }
  if (d.starts_with("torch.indexing.")) {
    std::string n = d.substr(15);
    if (n == "None") return none(at);
    if (n == "Ellipsis") return emit("const", {}, at, "...");
  }
  return global(d, at);
}

std::string FnBuilder::local_name(const std::string& dotted) const {
  const std::string& m = fc_.prog.files[0].module_name;
  return m.empty() ? dotted : m + "." + dotted;
}

NodeId FnBuilder::self_member(const std::string& name, const ir::Loc& at) {
  if (owner_)
    for (const ClassInfo* c = owner_; c;) {
      const FieldInfo* f = c->field(name);
      if (f && f->value && f->is_static) return constant(*f->value, at, name);
      break;
    }
  if (self_ == kNoNode) {
    // A lambda or nested function reading members of the enclosing method's object.
    self_ = emit("free", {}, at, "self");
    node_kind_[self_] = Kind::Module;
  }
  NodeId id = emit("attr", {self_}, at, name);
  Kind k = member_kind(name);
  node_kind_[id] = k;
  return id;
}

NodeId FnBuilder::member(NodeId obj, const std::string& name, const ir::Loc& at) {
  if (obj == self_ && obj != kNoNode) return self_member(name, at);
  NodeId id = emit("attr", {obj}, at, name);
  // ggml weight structs: the field's kind.
  Kind ok = kind_of(obj);
  if (ok == Kind::Struct) {
    // Which struct: follow the chain to the root to find a class with this field.
    for (const auto& [cn, ci] : fc_.classes)
      if (ci.ggml_weights)
        if (const FieldInfo* f = ci.field(name)) {
          node_kind_[id] = f->kind;
          break;
        }
  } else if (ok == Kind::Module) {
    // conv->weight, block->fc: tensors or modules; unknown without types.
    node_kind_[id] = Kind::Unknown;
  }
  return id;
}

bool FnBuilder::is_self_rooted(NodeId id, std::string* path) const {
  std::string p;
  NodeId cur = id;
  auto& f = const_cast<FnBuilder*>(this)->fn();
  while (cur != kNoNode) {
    const ir::Node& n = f.node(cur);
    if (n.op == "attr" && !n.args.empty()) {
      p = n.name + (p.empty() ? "" : "." + p);
      cur = n.args[0];
    } else if (n.op == "getitem" && n.args.size() == 2) {
      const ir::Node& idx = f.node(n.args[1]);
      std::string key =
          idx.num ? std::to_string(static_cast<long long>(*idx.num)) : (idx.op == "const" ? idx.name : "*");
      p = key + (p.empty() ? "" : "." + p);
      cur = n.args[0];
    } else {
      break;
    }
  }
  if (cur == kNoNode || cur != self_ || p.empty()) return false;
  if (path) *path = p;
  return true;
}

bool FnBuilder::is_weight(NodeId id) const {
  auto& f = const_cast<FnBuilder*>(this)->fn();
  NodeId cur = id;
  bool through_member = false;
  for (int guard = 0; cur != kNoNode && guard < 32; ++guard) {
    const ir::Node& n = f.node(cur);
    if ((n.op == "attr" || n.op == "getitem") && !n.args.empty()) {
      through_member |= n.op == "attr";
      cur = n.args[0];
      continue;
    }
    if (n.op == "phi" && !n.args.empty()) {
      cur = n.args[0];
      continue;
    }
    break;
  }
  if (cur == kNoNode || !through_member) return false;
  if (cur == self_ && ggml_builder_) return true;
  Kind k = kind_of(cur);
  return k == Kind::Struct;
}

// ---------------------------------------------------------------------------------------------
// Expressions

NodeId FnBuilder::binary(std::string_view tok, NodeId l, NodeId r, const ir::Loc& at) {
  const char* op = tok == "&&" ? "and" : tok == "||" ? "or" : ir::binary_operator_op(tok);
  NodeId id = emit(op, {l, r}, at);
  fold(id);
  Kind kl = kind_of(l), kr = kind_of(r);
  node_kind_[id] = (kl == Kind::Scalar && kr == Kind::Scalar) ? Kind::Scalar : Kind::Unknown;
  return id;
}

NodeId FnBuilder::unary(std::string_view tok, NodeId a, const ir::Loc& at) {
  if (tok == "*" || tok == "&") return a;  // dereference / address-of: the same value
  const char* op = tok == "!" ? "not" : ir::unary_operator_op(tok);
  NodeId id = emit(op, {a}, at);
  fold(id);
  if (kind_of(a) == Kind::Scalar) node_kind_[id] = Kind::Scalar;
  return id;
}

NodeId FnBuilder::subscript(NodeId base, NodeId idx, const ir::Loc& at) {
  NodeId id = emit("getitem", {base, idx}, at);
  Kind bk = kind_of(base);
  if (bk == Kind::Struct) node_kind_[id] = Kind::Struct;
  return id;
}

NodeId FnBuilder::tuple(std::vector<NodeId> items, const ir::Loc& at, const char* op) {
  return emit(op, std::move(items), at);
}

NodeId FnBuilder::select(NodeId c, NodeId a, NodeId b, const ir::Loc& at) { return emit("select", {c, a, b}, at); }

NodeId FnBuilder::cast(NodeId v, const std::string& type, const ir::Loc& at) {
  (void)type;
  (void)at;
  return v;
}

void FnBuilder::apply_args(NodeId call, Args args) {
  // Option builders passed as arguments become keyword arguments of the call.
  std::vector<NodeId> pos;
  std::vector<std::pair<std::string, NodeId>> kw;
  for (NodeId a : args.pos) {
    if (a == kNoNode) continue;
    const ir::Node& an = fn().node(a);
    if (an.op == "options") {
      for (NodeId x : an.args) pos.push_back(x);
      for (const auto& k : an.kwargs) kw.push_back(k);
      continue;
    }
    pos.push_back(a);
  }
  for (auto& k : args.kw) kw.push_back(k);
  ir::Node& c = fn().node(call);
  c.args.insert(c.args.end(), pos.begin(), pos.end());
  c.kwargs.insert(c.kwargs.end(), kw.begin(), kw.end());
}

NodeId FnBuilder::tensor_op(const std::string& name, const std::string& display, Args args, const ir::Loc& at,
                            NodeId recv) {
  // x.index({Slice(), 3}) is x[:, 3]; x.index_put_({...}, v) keeps its canonical name.
  if (recv != kNoNode && name == "index" && !args.pos.empty()) {
    NodeId idx = args.pos[0];
    ir::Node& in = fn().node(idx);
    if ((in.op == "tuple" || in.op == "list") && in.args.size() == 1)
      idx = in.args[0];
    else if (in.op == "list")
      in.op = "tuple";
    return subscript(recv, idx, at);
  }
  bool ip = false;
  std::string op = ir::canonical_op(name, &ip);
  if ((op == "index_put" || op == "index_put_") && !args.pos.empty()) {
    NodeId& idx = args.pos[0];
    ir::Node& in = fn().node(idx);
    if ((in.op == "tuple" || in.op == "list") && in.args.size() == 1)
      idx = in.args[0];
    else if (in.op == "list")
      in.op = "tuple";
  }
  std::vector<NodeId> a;
  if (recv != kNoNode) a.push_back(recv);
  NodeId id = emit(op, a, at, display);
  apply_args(id, std::move(args));
  if (ip) fn().node(id).flags |= ir::kInPlace;
  fold(id);
  node_kind_[id] = op == "item" || op == "size" || op == "dim" || op == "numel" ? Kind::Scalar : Kind::Tensor;
  return id;
}

NodeId FnBuilder::options_value(const std::string& cls, Args args, const ir::Loc& at) {
  NodeId id = emit("options", {}, at, cls);
  apply_args(id, std::move(args));
  node_kind_[id] = Kind::Options;
  return id;
}

NodeId FnBuilder::module_call_node(const std::string& path, Args args, const ir::Loc& at) {
  NodeId id = emit("module_call", {}, at, path);
  fn().node(id).kwargs.emplace_back("self", self_);
  apply_args(id, std::move(args));
  if (owner_) {
    std::string head = path.substr(0, path.find('.'));
    for (const auto& f : owner_->fields)
      if (f.name == head && path.find('.') == std::string::npos)
        if (const ClassInfo* c = fc_.cls(last_component(fc_.dotted(f.type)))) {
          if (c->module_id >= 0 && c->is_module) fn().node(id).target_module = c->module_id;
        }
  }
  node_kind_[id] = Kind::Tensor;
  return id;
}

NodeId FnBuilder::call_free(const std::string& qualified, Args args, const ir::Loc& at,
                            const std::vector<std::string>& targs, int32_t target_fn) {
  std::string q = qualified;
  if (q.starts_with("::")) q = q.substr(2);
  const bool is_qualified = q.find("::") != std::string::npos;
  std::string d = fc_.dotted(q);
  std::string last = last_component(d);

  // Functions of this file.
  if (target_fn < 0 && !is_qualified) {
    if (auto it = fc_.functions.find(q); it != fc_.functions.end()) target_fn = it->second;
  }
  if (target_fn < 0 && is_qualified) {
    if (auto it = fc_.functions.find(d); it != fc_.functions.end()) target_fn = it->second;
  }
  if (target_fn >= 0) {
    NodeId id = emit("call", {}, at, local_name(last));
    fn().node(id).target_function = target_fn;
    apply_args(id, std::move(args));
    return id;
  }
  if (d == "std.get" && !targs.empty() && !args.pos.empty()) {
    char* end = nullptr;
    double v = std::strtod(targs[0].c_str(), &end);
    NodeId k = constant(v, at, targs[0]);
    return subscript(args.pos[0], k, at);
  }
  if ((d == "std.make_shared" || d == "std.make_unique") && !targs.empty())
    return construct(targs[0], std::move(args), at);
  if (d == "std.move" || d == "std.forward" || d == "std.ref" || d == "std.cref") {
    return args.pos.empty() ? none(at) : args.pos[0];
  }
  if (d == "torch.indexing.Slice" || d == "Slice") {
    std::vector<NodeId> parts = args.pos;
    while (parts.size() < 3) parts.push_back(none(at));
    return emit("slice", parts, at);
  }
  if (d.starts_with("ggml_")) return ggml_call(d, std::move(args), at);
  if (!torch_layer_class(d).empty() ||
      (last.ends_with("Options") && (d.starts_with("torch.") || d.starts_with("nn.") || fc_.using_torch)))
    return construct(q, std::move(args), at);
  if (const ClassInfo* c = fc_.cls(last);
      c && (!is_qualified || c->qual == q || q.starts_with("::") || true) && (c->is_module || fc_.holders.count(last)))
    return construct(last, std::move(args), at);
  if (is_tensor_namespace(d)) return tensor_op(last, d, std::move(args), at);
  if (!is_qualified) {
    if (std::string m = c_math_op(q); !m.empty()) return tensor_op(m, q, std::move(args), at);
    if (fc_.using_torch && is_known_tensor_function(q)) return tensor_op(q, "torch." + q, std::move(args), at);
  }
  // Another function: external (std::chrono::..., cudaEventElapsedTime) or defined elsewhere in
  // the tree (a star import of a quoted include resolves it).
  std::string name = d;
  if (!is_qualified || !(d.starts_with("std.") || d.starts_with("torch.") || d.starts_with("c10.")))
    name = is_qualified ? local_name(last) : local_name(d);
  NodeId id = emit("call", {}, at, name);
  apply_args(id, std::move(args));
  return id;
}

NodeId FnBuilder::construct(const std::string& type, Args args, const ir::Loc& at) {
  std::string d = fc_.dotted(type);
  std::string last = last_component(d);
  if (last.ends_with("Options")) return options_value(last, std::move(args), at);
  if (std::string cls = torch_layer_class(d); !cls.empty()) {
    NodeId id = emit("layer", {}, at, cls);
    apply_args(id, std::move(args));
    node_kind_[id] = Kind::Module;
    return id;
  }
  if (d == "torch.indexing.Slice" || d == "Slice") return call_free("torch::indexing::Slice", std::move(args), at);
  if (const ClassInfo* c = fc_.cls(last)) {
    NodeId id = emit("call", {}, at, local_name(c->name));
    if (c->module_id >= 0 && c->is_module) fn().node(id).target_module = c->module_id;
    apply_args(id, std::move(args));
    node_kind_[id] = c->is_module ? Kind::Module : Kind::Other;
    return id;
  }
  Kind k = kind_of_type(fc_, type);
  if (k == Kind::Tensor || k == Kind::Scalar) {
    if (args.pos.empty()) return k == Kind::Scalar ? constant(0, at, "0") : none(at);
    return args.pos[0];
  }
  NodeId id = emit("call", {}, at, d);
  apply_args(id, std::move(args));
  return id;
}

NodeId FnBuilder::lambda_value(int32_t fid, const ir::Loc& at) {
  NodeId v = emit("lambda", {}, at, "<lambda>");
  fn().node(v).target_function = fid;
  return v;
}

void FnBuilder::rebind_in_place(NodeId op, NodeId recv, const std::string& recv_var, const ir::Loc& at) {
  (void)at;
  if (!recv_var.empty() && is_local(recv_var) && lookup(recv_var) == recv) env_[recv_var] = op;
}

NodeId FnBuilder::call_method(NodeId recv, Kind recv_kind, const std::string& method, Args args, const ir::Loc& at,
                              bool arrow, const std::string& recv_var) {
  if (recv != kNoNode && recv == self_ && !ggml_builder_) return call_self_method(method, std::move(args), at);
  Kind rk = recv_kind != Kind::Unknown ? recv_kind : kind_of(recv);
  if (rk == Kind::Unknown && !recv_var.empty()) rk = kind_of_var(recv_var);
  if (rk == Kind::Options) {
    NodeId id = emit("options", {}, at, fn().node(recv).name);
    ir::Node copy = fn().node(recv);
    ir::Node& n = fn().node(id);
    n.args = copy.args;
    n.kwargs = copy.kwargs;
    n.kwargs.emplace_back(method, args.pos.empty() ? kNoNode : args.pos[0]);
    node_kind_[id] = Kind::Options;
    return id;
  }
  std::string path;
  const bool self_rooted = is_self_rooted(recv, &path);
  if (rk == Kind::Module || (arrow && rk != Kind::Struct && rk != Kind::Ggml && self_rooted) ||
      method == "forward") {  // tensors have no forward(): a module, whatever its static type says
    if (self_rooted) {
      if (method == "forward") return module_call_node(path, std::move(args), at);
      return module_call_node(path + "." + method, std::move(args), at);
    }
    if (method == "forward") return call_value(recv, Kind::Module, std::move(args), at);
  }
  NodeId id = tensor_op(method, method, std::move(args), at, recv);
  if (fn().node(id).has(ir::kInPlace)) rebind_in_place(id, recv, recv_var, at);
  return id;
}

NodeId FnBuilder::call_self_method(const std::string& method, Args args, const ir::Loc& at) {
  if (self_ == kNoNode) {
    self_ = emit("free", {}, at, "self");
    node_kind_[self_] = Kind::Module;
  }
  if ((method == "register_module" || method == "register_parameter" || method == "register_buffer") &&
      args.pos.size() >= 2) {
    NodeId key = args.pos[0];
    NodeId value = args.pos[1];
    // register_module("conv1", conv1) after conv1(...) in the initializer list: the layer itself.
    const ir::Node& vn = fn().node(value);
    if (vn.op == "attr" && !vn.args.empty() && vn.args[0] == self_)
      if (auto it = member_value_.find(vn.name); it != member_value_.end()) value = it->second;
    NodeId result = value;
    if (method == "register_parameter") {
      result = emit("parameter", {value}, at, "torch.nn.Parameter");
      node_kind_[result] = Kind::Tensor;
    }
    std::vector<NodeId> a{self_, key, result};
    for (size_t i = 2; i < args.pos.size(); ++i) a.push_back(args.pos[i]);
    NodeId reg = emit(method, a, at, method);
    statement(reg);
    registered_[result] = reg;
    return result;
  }
  bool has_method = false;
  for (const ClassInfo* c = owner_; c && !has_method;) {
    has_method = c->methods.count(method) != 0;
    const ClassInfo* next = nullptr;
    for (const auto& b : c->bases)
      if (const ClassInfo* bc = fc_.cls(last_component(b)); bc && bc != c) next = bc;
    c = next;
  }
  if (has_method) {
    NodeId id = emit("call", {self_}, at, "self." + method);
    apply_args(id, std::move(args));
    return id;
  }
  bool ip = false;
  NodeId id = emit(ir::canonical_op(method, &ip), {self_}, at, method);
  apply_args(id, std::move(args));
  if (ip) fn().node(id).flags |= ir::kInPlace;
  return id;
}

NodeId FnBuilder::call_value(NodeId callee, Kind callee_kind, Args args, const ir::Loc& at) {
  std::string path;
  if (callee != kNoNode && is_self_rooted(callee, &path)) {
    Kind k = callee_kind != Kind::Unknown ? callee_kind : kind_of(callee);
    if (k == Kind::Module || k == Kind::Unknown) return module_call_node(path, std::move(args), at);
  }
  if (callee != kNoNode) {
    const ir::Node& c = fn().node(callee);
    if (c.op == "global" && c.target_function >= 0) {
      int32_t t = c.target_function;
      std::string name = c.name;
      if (static_cast<size_t>(callee) + 1 == fn().nodes.size()) fn().nodes.pop_back();
      NodeId id = emit("call", {}, at, name);
      fn().node(id).target_function = t;
      apply_args(id, std::move(args));
      return id;
    }
  }
  NodeId id = emit("call_value", {callee}, at);
  if (callee != kNoNode) {
    const ir::Node& c = fn().node(callee);
    if (c.target_function >= 0) fn().node(id).target_function = c.target_function;
    if (c.target_module >= 0) fn().node(id).target_module = c.target_module;
  }
  apply_args(id, std::move(args));
  return id;
}

// ---------------------------------------------------------------------------------------------
// ggml

NodeId FnBuilder::ggml_call(const std::string& fname, Args args, const ir::Loc& at) {
  std::string base = fname.substr(5);
  if (!ggml_without_ctx(base) && !args.pos.empty()) {
    Kind k0 = kind_of(args.pos[0]);
    if (k0 == Kind::Context || k0 == Kind::Unknown || k0 == Kind::Other) args.pos.erase(args.pos.begin());
  }
  auto arg = [&](size_t i) { return i < args.pos.size() ? args.pos[i] : kNoNode; };
  if (base == "set_input" || (base == "set_name" && args.pos.size() >= 2)) {
    NodeId t = arg(0);
    bool input = base == "set_input";
    if (!input) {
      const ir::Node& nm = fn().node(arg(1));
      input = nm.name.starts_with("inp_") || nm.name == "tokens" || nm.name == "input_ids" || nm.name == "embd";
    }
    if (input && t != kNoNode && ggml_new_.count(t) && !ggml_inputs_.count(t)) {
      ir::Node& n = fn().node(t);
      auto vit = ggml_var_.find(t);
      n.op = "param";
      n.name = vit != ggml_var_.end() ? vit->second : "input";
      n.args.clear();
      n.kwargs.clear();
      n.num = static_cast<double>(fn().params.size());
      fn().params.push_back(n.name);
      fn().param_nodes.push_back(t);
      ggml_inputs_.insert(t);
    }
    return kNoNode;
  }
  if (base == "set_output" || base == "format_name" || base == "set_name" || base == "set_param") return kNoNode;
  if (base == "build_forward_expand") {
    ggml_forward_ = true;
    NodeId t = arg(1);
    if (t == kNoNode) return kNoNode;
    NodeId r = emit("return", {t}, at);
    fn().returns.push_back(r);
    return r;
  }
  if (base == "new_graph" || base == "new_graph_custom") {
    ggml_forward_ = true;
    NodeId id = emit("new_graph", {}, at, fname);
    node_kind_[id] = Kind::Graph;
    return id;
  }
  if (base.starts_with("new_tensor")) {
    // ggml_new_tensor_2d(ctx, GGML_TYPE_F32, n0, n1): an uninitialised tensor of a shape.
    std::vector<NodeId> shape;
    for (size_t i = 1; i < args.pos.size(); ++i) shape.push_back(args.pos[i]);
    NodeId id = emit("empty", shape, at, fname);
    node_kind_[id] = Kind::Ggml;
    ggml_new_.insert(id);
    return host_leaf(id, at);
  }
  if (base == "new_f32" || base == "new_i32") {
    NodeId id = emit("full", {arg(0)}, at, fname);
    node_kind_[id] = Kind::Ggml;
    ggml_new_.insert(id);
    return host_leaf(id, at);
  }
  if (base == "mul_mat" || base == "mul_mat_id" || base == "out_prod") {
    NodeId a = arg(0), b = arg(1);
    NodeId id;
    if (is_weight(a)) {
      id = emit("linear", {b, a}, at, fname);
      fn().node(id).flags |= ir::kLearned;
    } else if (is_weight(b)) {
      id = emit("linear", {a, b}, at, fname);
      fn().node(id).flags |= ir::kLearned;
    } else {
      id = emit("matmul", {a, b}, at, fname);
    }
    node_kind_[id] = Kind::Ggml;
    return id;
  }
  if (base == "get_rows") {
    NodeId a = arg(0), ids = arg(1);
    NodeId id;
    if (is_weight(a)) {
      id = emit("embedding", {ids, a}, at, fname);
      fn().node(id).flags |= ir::kLearned;
    } else {
      id = emit("getitem", {a, ids}, at, fname);
    }
    node_kind_[id] = Kind::Ggml;
    return id;
  }
  if (base.starts_with("map_custom") || base.starts_with("map_unary") || base.starts_with("map_binary")) {
    // ggml_map_custom1(ctx, a, fun, n_tasks, userdata): fun applied to the tensor operands.
    std::vector<NodeId> tensors;
    NodeId fun = kNoNode;
    for (NodeId a : args.pos) {
      if (a == kNoNode) continue;
      const ir::Node& an = fn().node(a);
      if (fun == kNoNode && (an.op == "global" || an.op == "lambda")) {
        fun = a;
        break;
      }
      tensors.push_back(a);
    }
    std::string name = fun != kNoNode ? fn().node(fun).name : fname;
    int32_t target = fun != kNoNode ? fn().node(fun).target_function : -1;
    NodeId id = emit("call", tensors, at, name);
    fn().node(id).target_function = target;
    fn().node(id).kwargs.emplace_back("ggml", kNoNode);
    node_kind_[id] = Kind::Ggml;
    return id;
  }
  if (base == "count_equal") {
    NodeId e = emit("eq", {arg(0), arg(1)}, at, fname);
    NodeId s = emit("sum", {e}, at, fname);
    node_kind_[s] = Kind::Ggml;
    return s;
  }
  bool ip = false;
  std::string op = ggml_base_op(base, &ip);
  std::vector<NodeId> operands;
  for (NodeId a : args.pos) {
    // Type enums (GGML_TYPE_F32) are not data.
    if (a != kNoNode && fn().node(a).op == "global" &&
        std::string_view(last_component(fn().node(a).name)).starts_with("GGML_"))
      continue;
    operands.push_back(a);
  }
  NodeId id = emit(op, operands, at, fname);
  if (ip) fn().node(id).flags |= ir::kInPlace;
  // Norm scales and biases read from the weights: the op applies learned parameters.
  if (op == "mul" || op == "add") {
    for (NodeId a : operands)
      if (is_weight(a)) fn().node(id).flags |= ir::kLearned;
  }
  node_kind_[id] = Kind::Ggml;
  return id;
}

// A graph leaf made by the host (its data comes from host code). Made inside a host-side `if`, the
// leaf exists, with the data the branch writes into it, only when the branch is taken: the host
// condition reaches the graph through it. The leaf is the branch's value (a phi under each
// enclosing condition), as a value assigned in the branch is after the join.
NodeId FnBuilder::host_leaf(NodeId leaf, const ir::Loc& at) {
  NodeId v = leaf;
  for (auto it = ifs_.rbegin(); it != ifs_.rend(); ++it) {
    NodeId phi = emit("phi", {v}, at, fn().node(leaf).name);
    fn().node(phi).kwargs.emplace_back("cond", it->branch);
    node_kind_[phi] = Kind::Ggml;
    ggml_new_.insert(phi);
    v = phi;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Assignment

Target FnBuilder::target_var(const std::string& name, const ir::Loc& at) {
  Target t;
  t.loc = at;
  t.name = name;
  if (!is_local(name) && owner_ && !bound_in_parents(name)) {
    bool field = false;
    for (const auto& f : owner_->fields) field |= f.name == name;
    if (field || member_kind(name) != Kind::Unknown) {
      if (self_ == kNoNode) {
        self_ = emit("free", {}, at, "self");
        node_kind_[self_] = Kind::Module;
      }
      t.kind = Target::Member;
      t.obj = self_;
      return t;
    }
  }
  t.kind = Target::Var;
  return t;
}

Target FnBuilder::target_member(NodeId obj, const std::string& name, const ir::Loc& at) {
  Target t;
  t.loc = at;
  t.kind = Target::Member;
  t.obj = obj;
  t.name = name;
  return t;
}

Target FnBuilder::target_index(NodeId base, NodeId idx, const std::string& root_var, const ir::Loc& at) {
  Target t;
  t.loc = at;
  t.kind = Target::Index;
  t.obj = base;
  t.index = idx;
  t.root_var = root_var;
  return t;
}

NodeId FnBuilder::load(const Target& t) {
  switch (t.kind) {
    case Target::Var:
      return read(t.name, t.loc);
    case Target::Member:
      return member(t.obj, t.name, t.loc);
    case Target::Index:
      return subscript(t.obj, t.index, t.loc);
    default:
      return kNoNode;
  }
}

void FnBuilder::store(const Target& t, NodeId v, const ir::Loc& at, bool in_place) {
  switch (t.kind) {
    case Target::Var:
      if (is_local(t.name)) {
        Kind k = var_kind_.count(t.name) ? var_kind_[t.name] : Kind::Unknown;
        env_[t.name] = v;
        if (k == Kind::Unknown) var_kind_[t.name] = kind_of(v);
      } else {
        declare(t.name, v);
      }
      if (v != kNoNode && ggml_new_.count(v) && !ggml_var_.count(v)) ggml_var_[v] = t.name;
      return;
    case Target::Member: {
      if (t.obj == self_ && self_ != kNoNode) {
        // conv1 = register_module("conv1", ...): the registration binds the member.
        if (auto it = registered_.find(v); it != registered_.end() && !in_place) {
          ir::Node& reg = fn().node(it->second);
          if (reg.args.size() >= 2) {
            const ir::Node& key = fn().node(reg.args[1]);
            if (key.name != t.name) {
              NodeId k = string_const(t.name, t.loc);
              fn().node(it->second).args[1] = k;
            }
          }
          member_value_[t.name] = v;
          return;
        }
        member_value_[t.name] = v;
      }
      NodeId id = emit("setattr", {t.obj, v}, at, t.name);
      fn().node(id).flags |= ir::kStatement | (in_place ? ir::kInPlace : 0u);
      return;
    }
    case Target::Index: {
      NodeId obj = t.obj;
      std::string root = t.root_var;
      // ((float *) t->data)[i] = v: the host writes into the ggml tensor's data, so into the tensor.
      if (const ir::Node& on = fn().node(obj);
          on.op == "attr" && on.name == "data" && on.args.size() == 1 && kind_of(on.args[0]) == Kind::Ggml) {
        obj = on.args[0];
        root.clear();
        for (const auto& [name, val] : env_)
          if (val == obj && (root.empty() || name < root)) root = name;
      }
      NodeId id = emit("setitem", {obj, t.index, v}, at);
      fn().node(id).flags |= ir::kInPlace | ir::kStatement;
      if (obj != t.obj) node_kind_[id] = Kind::Ggml;
      if (!root.empty() && is_local(root)) env_[root] = id;
      return;
    }
    default:
      return;
  }
}

NodeId FnBuilder::compound(const Target& t, std::string_view tok, NodeId rhs, const ir::Loc& at) {
  NodeId cur = load(t);
  const char* op = ir::binary_operator_op(tok);
  NodeId v = emit(op, {cur, rhs}, at);
  fn().node(v).flags |= ir::kInPlace;
  fold(v);
  if (kind_of(cur) == Kind::Scalar && kind_of(rhs) == Kind::Scalar) node_kind_[v] = Kind::Scalar;
  store(t, v, at, true);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Control flow

void FnBuilder::merge(const Env& a, const Env& b, NodeId cond, const ir::Loc& at) {
  Env out = a;
  std::vector<std::string> names;
  for (const auto& [name, vb] : b) names.push_back(name);
  for (const auto& [name, va] : a)
    if (!b.count(name)) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    auto ia = a.find(name);
    auto ib = b.find(name);
    if (ia != a.end() && ib != b.end() && ia->second == ib->second) continue;
    std::vector<NodeId> args;
    if (ia != a.end()) args.push_back(ia->second);
    if (ib != b.end()) args.push_back(ib->second);
    NodeId phi = emit("phi", std::move(args), at, name);
    if (cond != kNoNode) fn().node(phi).kwargs.emplace_back("cond", cond);
    Kind k = ia != a.end() ? kind_of(ia->second) : Kind::Unknown;
    if (k == Kind::Unknown && ib != b.end()) k = kind_of(ib->second);
    node_kind_[phi] = k;
    if (k == Kind::Ggml && ib != b.end() && ggml_new_.count(ib->second)) ggml_new_.insert(phi);
    out[name] = phi;
  }
  env_ = std::move(out);
}

NodeId FnBuilder::begin_if(NodeId cond, const ir::Loc& at) {
  NodeId br = emit("branch", {cond}, at, "if");
  IfFrame f;
  f.before = env_;
  f.branch = br;
  ifs_.push_back(std::move(f));
  ++scope_depth_;
  return br;
}

void FnBuilder::begin_else() {
  if (ifs_.empty()) return;
  IfFrame& f = ifs_.back();
  f.then_env = env_;
  env_ = f.before;
  f.in_else = true;
}

void FnBuilder::end_if(const ir::Loc& at) {
  if (ifs_.empty()) return;
  IfFrame f = std::move(ifs_.back());
  ifs_.pop_back();
  --scope_depth_;
  Env then_env = f.in_else ? f.then_env : env_;
  Env else_env = f.in_else ? env_ : f.before;
  // Only variables visible after the if take part (block-local declarations are gone already).
  Env a, b;
  for (auto& [k, v] : then_env)
    if (f.before.count(k)) a[k] = v;
  for (auto& [k, v] : else_env)
    if (f.before.count(k)) b[k] = v;
  // `if (c) flag = false;` / `if (c) flag = true;`: a boolean flag cleared or set under a condition
  // is the logical combination of the flag and the condition (flag && !c, flag || c), data flow
  // rather than a merge. Inside a loop that carries the flag, the test runs once per iteration:
  // the flag survives only if no iteration cleared it, a reduction over the iterations
  // (flag && all(!c), flag || any(c)).
  const ir::Node& br = fn().node(f.branch);
  NodeId cond = br.args.empty() ? kNoNode : br.args[0];
  for (auto& [name, va] : a) {
    auto ib = b.find(name);
    if (cond == kNoNode || ib == b.end() || va == ib->second) continue;
    NodeId before = f.before[name];
    bool then_set = ib->second == before && bool_literal(va).has_value();
    bool else_set = va == before && bool_literal(ib->second).has_value();
    if (!then_set && !else_set) continue;
    bool value = *bool_literal(then_set ? va : ib->second);
    // The flag takes `value` when the test (c in the then arm, !c in the else arm) holds.
    bool test_negated = then_set ? !value : value;  // clearing needs the negated test
    NodeId t = test_negated ? unary("!", cond, at) : cond;
    bool carried = false;
    if (!loops_.empty())
      for (const auto& [ln, lphi] : loops_.back().phis) carried |= ln == name;
    if (carried) {
      t = emit(value ? "any" : "all", {t}, at);
      node_kind_[t] = Kind::Scalar;
    }
    NodeId v = emit(value ? "or" : "and", {before, t}, at);
    node_kind_[v] = Kind::Scalar;
    va = v;
    ib->second = v;
  }
  merge(a, b, f.branch, at);
}

std::optional<bool> FnBuilder::bool_literal(NodeId id) const {
  const ir::Node& n = fc_.prog.functions[static_cast<size_t>(fn_id_)].node(id);
  if (n.op != "const" || !n.num || (n.name != "true" && n.name != "false")) return std::nullopt;
  return *n.num != 0;
}

NodeId FnBuilder::begin_loop(const char* kind, NodeId head, const std::vector<std::string>& assigned,
                             const ir::Loc& at) {
  NodeId br = emit("branch", {head}, at, kind);
  LoopFrame lf;
  lf.branch = br;
  std::vector<std::string> names(assigned.begin(), assigned.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const auto& name : names) {
    NodeId pre = lookup(name);
    if (pre == kNoNode) continue;
    NodeId phi = emit("phi", {pre}, at, name);
    fn().node(phi).kwargs.emplace_back("cond", br);
    node_kind_[phi] = kind_of(pre);
    if (ggml_new_.count(pre)) ggml_new_.insert(phi);
    env_[name] = phi;
    lf.phis.emplace_back(name, phi);
  }
  loops_.push_back(std::move(lf));
  ++scope_depth_;
  return br;
}

void FnBuilder::end_loop() {
  if (loops_.empty()) return;
  LoopFrame lf = std::move(loops_.back());
  loops_.pop_back();
  --scope_depth_;
  for (auto& [name, phi] : lf.phis) {
    NodeId end = lookup(name);
    if (end != kNoNode && end != phi) fn().node(phi).args.push_back(end);
    env_[name] = phi;
  }
}

void FnBuilder::finish() {
  if (!ggml_builder_ || !ggml_forward_ || fn().owner_module < 0) return;
  auto& methods = fc_.prog.modules[static_cast<size_t>(fn().owner_module)].methods;
  if (!methods.count("forward")) methods["forward"] = fn_id_;
}

NodeId FnBuilder::ret(NodeId v, const ir::Loc& at) {
  if (v != kNoNode && kind_of(v) == Kind::Graph) return kNoNode;  // ggml: `return gf;`
  NodeId r = emit("return", {v}, at);
  fn().returns.push_back(r);
  return r;
}

// ---------------------------------------------------------------------------------------------

void add_include_imports(ir::Program& prog, const std::vector<Include>& includes) {
  ir::SourceFile& f = prog.files[0];
  fs::path rel_dir = fs::path(f.path).parent_path();
  fs::path abs_dir = fs::path(f.abs_path).parent_path();
  std::unordered_set<std::string> seen;
  for (const auto& inc : includes) {
    if (!inc.quoted) continue;
    std::error_code ec;
    if (f.abs_path.empty() || !fs::exists(abs_dir / inc.path, ec)) continue;
    fs::path rel = (rel_dir / inc.path).lexically_normal();
    std::string r = rel.generic_string();
    if (r.empty() || r.starts_with("..")) continue;
    std::string target = cpp_module_name(r);
    if (!seen.insert(target).second) continue;
    ir::Import imp;
    imp.file = 0;
    imp.local = "*";
    imp.target = target;
    imp.loc = inc.loc;
    f.imports.push_back(static_cast<int32_t>(prog.imports.size()));
    prog.imports.push_back(imp);
  }
}

}  // namespace archscan::frontend::cpp
