// BM001: data mixed across the batch dimension in a model's forward. The batch dimension is
// followed from the forward's inputs (dim 0) through shape-preserving ops, layers, reshapes that
// keep it (`view(x.size(0), -1)`, `flatten(1)`), permutes and transposes, indexing and calls into
// helpers and submodules; it is dropped (conservatively) after merges (`flatten(0, 1)`,
// `view(-1, d)`, `cat(..., 0)`) and unknown calls. Within-batch mixing is then:
//   - a reduction over the batch dim (`x.amax(0)`, `x.mean(dim=0)`, `var_mean(x, (0, 2, 3))`,
//     `x.sum()`) or one sample picked out of it (`x[0]`, `x[:1]`) that is combined back with
//     per-sample data;
//   - rows moved across the batch: `roll` / `flip` / `sort` / `cumsum` / `softmax` along dim 0,
//     indexing with a batch permutation (`x[torch.randperm(n)]`, `x[idx.flip(0)]`),
//     batch-norm statistics forced on (`F.batch_norm(..., training=True)`).
// Code that only runs in training (`if self.training:`) is exempt: eval-mode batch norm, mixup and
// friends are fine.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

#include "analysis/analyses.h"
#include "analysis/values.h"
#include "ir/ops.h"
#include "rules/hw_util.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

struct BV {
  int bdim = -1;                           // position of the batch dimension (-1: none or unknown)
  bool tensor = false;                     // known to be a tensor
  bool tuple = false;                      // a tuple / list of values
  std::shared_ptr<std::vector<BV>> elems;  // tuple elements when known
  bool bsize = false;                      // a number equal to the batch size
  int shape_of = -1;                       // the shape of a tensor whose batch dim is at this position
  bool perm = false;                       // a permutation of batch indices
  bool arange_b = false;                   // arange(batch size): the identity index
  bool training = false;                   // the module's `training` flag, handed on (drop_path(x, p, self.training))
  uint64_t mix = 0;                        // the cross-batch ops this value carries (bits of indices into mixes)

  BV element(long k) const {
    if (elems && !elems->empty()) {
      long n = static_cast<long>(elems->size());
      if (k < 0) k += n;
      if (k >= 0 && k < n) return (*elems)[static_cast<size_t>(k)];
      return BV{};
    }
    BV e = *this;
    e.tuple = false;
    return e;
  }
  BV merged_elements() const {
    if (!elems || elems->empty()) return element(0);
    BV r = (*elems)[0];
    for (size_t i = 1; i < elems->size(); ++i) r = merge(r, (*elems)[i]);
    return r;
  }
  static BV merge(const BV& a, const BV& b) {
    BV r;
    r.bdim = a.bdim == b.bdim ? a.bdim : -1;
    r.tensor = a.tensor || b.tensor;
    r.tuple = a.tuple && b.tuple;
    if (r.tuple && a.elems && b.elems && a.elems->size() == b.elems->size()) {
      auto v = std::make_shared<std::vector<BV>>();
      for (size_t i = 0; i < a.elems->size(); ++i) v->push_back(merge((*a.elems)[i], (*b.elems)[i]));
      r.elems = v;
    }
    r.bsize = a.bsize && b.bsize;
    r.shape_of = a.shape_of == b.shape_of ? a.shape_of : -1;
    r.perm = a.perm && b.perm;
    r.arange_b = a.arange_b && b.arange_b;
    r.training = a.training && b.training;
    r.mix = a.mix | b.mix;
    return r;
  }
  std::string key() const {
    std::string k =
        fmt::format("{}:{}{}{}{}{}{}:{}:{}", bdim, tensor, tuple, bsize, perm, arange_b, training, shape_of, mix);
    if (elems) {
      k += "[";
      for (const auto& e : *elems) k += e.key() + ",";
      k += "]";
    }
    return k;
  }
};

inline uint64_t bit(int id) { return id < 0 ? 0 : 1ull << (id < 63 ? id : 63); }

struct Mix {
  int32_t fn = -1;
  ir::NodeId node = ir::kNoNode;
  ir::Loc loc;
  std::string what;
  bool batched = false;  // rows moved across the batch (reported when used); else an aggregate
  long pick = -1;        // x[k]: the sample it takes
  std::string module;
  // A maximum over the batch (`lengths.max()`): as the stop of a slice along another dimension it
  // only trims what is padding for every sample (`x[:, :int(lengths.max())]`), no sample's data.
  bool upper_bound = false;
};

const ir::Node& node_or_empty(const ir::Function& f, ir::NodeId id) {
  static const ir::Node empty;
  return id >= 0 && static_cast<size_t>(id) < f.nodes.size() ? f.node(id) : empty;
}

bool const_int(const ir::Function& f, ir::NodeId id, long* out) {
  if (id < 0) return false;
  double v;
  if (!hw::number_const(f.node(id), &v)) return false;
  // (a number outside long's range, or not finite, is no index: converting it would be undefined)
  if (!std::isfinite(v) || std::fabs(v) > 9.0e18 || v != std::trunc(v)) return false;
  *out = static_cast<long>(v);
  return true;
}

bool is_none(const ir::Function& f, ir::NodeId id) {
  if (id < 0) return true;
  const ir::Node& n = f.node(id);
  return n.op == "const" && n.name == "None" && !n.num;
}

bool truthy_const(const ir::Function& f, ir::NodeId id) {
  long v;
  return const_int(f, id, &v) && v != 0;
}

// Dims named by an operand: a constant or a tuple/list of constants. false when not constant.
bool const_dims(const ir::Function& f, ir::NodeId id, std::vector<long>* out) {
  if (id < 0) return false;
  long v;
  if (const_int(f, id, &v)) {
    out->push_back(v);
    return true;
  }
  const ir::Node& n = f.node(id);
  if (n.op == "tuple" || n.op == "list") {
    for (ir::NodeId a : n.args)
      if (!const_int(f, a, &v))
        return false;
      else
        out->push_back(v);
    return true;
  }
  return false;
}

// Ops that keep every dimension of their first operand (elementwise math, activations, layers,
// normalisation, pooling over spatial dims, type conversions).
bool keeps_dims(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {"conv1d",
                                                         "conv2d",
                                                         "conv3d",
                                                         "conv_transpose1d",
                                                         "conv_transpose2d",
                                                         "conv_transpose3d",
                                                         "linear",
                                                         "bilinear",
                                                         "embedding",
                                                         "embedding_bag",
                                                         "prelu",
                                                         "batch_norm",
                                                         "layer_norm",
                                                         "group_norm",
                                                         "instance_norm",
                                                         "local_response_norm",
                                                         "rms_norm",
                                                         "dropout",
                                                         "dropout1d",
                                                         "dropout2d",
                                                         "dropout3d",
                                                         "alpha_dropout",
                                                         "feature_alpha_dropout",
                                                         "interpolate",
                                                         "upsample",
                                                         "pad",
                                                         "pixel_shuffle",
                                                         "pixel_unshuffle",
                                                         "channel_shuffle",
                                                         "identity",
                                                         "one_hot",
                                                         "contiguous",
                                                         "float",
                                                         "double",
                                                         "half",
                                                         "bfloat16",
                                                         "to",
                                                         "type",
                                                         "type_as",
                                                         "detach",
                                                         "clone",
                                                         "cpu",
                                                         "cuda",
                                                         "long",
                                                         "int",
                                                         "bool",
                                                         "byte",
                                                         "char",
                                                         "short",
                                                         "requires_grad",
                                                         "masked_fill",
                                                         "nan_to_num",
                                                         "grid_sample",
                                                         "unfold",
                                                         "fold",
                                                         "scaled_dot_product_attention",
                                                         "where",
                                                         "clamp",
                                                         "clamp_min",
                                                         "clamp_max",
                                                         "expand",
                                                         "expand_as",
                                                         "data",
                                                         "new_tensor",
                                                         "fill",
                                                         "zero",
                                                         "copy",
                                                         "erfinv",
                                                         "rsqrt",
                                                         "sigmoid",
                                                         "tanh",
                                                         "logit"};
  return s.count(op) || ir::is_elementwise_math(op) || ir::is_activation(op) || ir::is_comparison(op) ||
         (ir::is_threshold_like(op) && !ir::is_reduction(op)) ||
         (ir::is_pooling(op) && op.find("adaptive") == std::string_view::npos) ||
         op.find("adaptive") != std::string_view::npos;
}

// Reductions and scans: where their dim operand is and what happens without one.
struct DimOp {
  int pos = 1;                // positional index of `dim` (receiver / input is 0)
  bool full_default = false;  // no dim: reduce everything (batch included)
  bool scan = false;          // keeps the batch dim, rows depend on other rows (cumsum, softmax, sort)
  bool tuple = false;         // returns (values, indices)
  int keepdim_pos = -1;       // positional index of keepdim
  long default_dim = -999;    // dim used when none is given (-999: none)
};

const DimOp* dim_op(std::string_view op) {
  static const std::map<std::string_view, DimOp> m = {
      {"sum", {1, true, false, false, 2}},
      {"mean", {1, true, false, false, 2}},
      {"nansum", {1, true, false, false, 2}},
      {"nanmean", {1, true, false, false, 2}},
      {"amax", {1, true, false, false, 2}},
      {"amin", {1, true, false, false, 2}},
      {"max", {1, true, false, true, 2}},
      {"min", {1, true, false, true, 2}},
      {"prod", {1, true, false, false, 2}},
      {"std", {1, true, false, false, -1}},
      {"var", {1, true, false, false, -1}},
      {"var_mean", {1, true, false, true, -1}},
      {"std_mean", {1, true, false, true, -1}},
      {"logsumexp", {1, false, false, false, 2}},
      {"median", {1, true, false, true, 2}},
      {"nanmedian", {1, true, false, true, 2}},
      {"mode", {1, false, false, true, 2, -1}},
      {"any", {1, true, false, false, 2}},
      {"all", {1, true, false, false, 2}},
      {"argmax", {1, true, false, false, 2}},
      {"argmin", {1, true, false, false, 2}},
      {"count_nonzero", {1, true, false, false, -1}},
      {"aminmax", {1, true, false, true, -1}},
      {"norm", {2, true, false, false, 3}},
      {"topk", {2, false, true, true, -1, -1}},
      {"kthvalue", {2, false, false, true, 3, -1}},
      {"quantile", {2, true, false, false, 3}},
      {"nanquantile", {2, true, false, false, 3}},
      {"cumsum", {1, false, true, false, -1}},
      {"cumprod", {1, false, true, false, -1}},
      {"cummax", {1, false, true, true, -1}},
      {"cummin", {1, false, true, true, -1}},
      {"logcumsumexp", {1, false, true, false, -1}},
      {"softmax", {1, false, true, false, -1}},
      {"log_softmax", {1, false, true, false, -1}},
      {"softmin", {1, false, true, false, -1}},
      {"sort", {1, false, true, true, -1, -1}},
      {"argsort", {1, false, true, false, -1, -1}},
      {"normalize", {2, false, true, false, -1, 1}},
      {"diff", {2, false, true, false, -1, -1}},
  };
  auto it = m.find(op);
  return it == m.end() ? nullptr : &it->second;
}

// `self.training`, or a parameter that carries it (`training=self.training`, held in `ctx`).
hw::TrainingFlag training_flag(const std::vector<BV>* ctx) {
  return [ctx](const ir::Function& f, ir::NodeId c) {
    const ir::Node& n = f.node(c);
    if (n.op == "attr" && n.name == "training" && !n.args.empty() && hw::is_self_param(f, n.args[0])) return true;
    return n.op == "param" && n.num && ctx && static_cast<size_t>(*n.num) < ctx->size() &&
           (*ctx)[static_cast<size_t>(*n.num)].training;
  };
}

class BatchAnalysis {
 public:
  BatchAnalysis(const ir::Program& p, const Analyses& a, const RuleInfo& info) : p_(p), a_(a), info_(info) {}

  std::vector<Finding> run() {
    std::vector<char> used(p_.modules.size(), 0);
    std::function<void(const ir::Attr&)> mark = [&](const ir::Attr& a) {
      if (a.kind == ir::AttrKind::Submodule && a.module_class >= 0) used[static_cast<size_t>(a.module_class)] = 1;
      for (const auto& c : a.children) mark(c);
    };
    for (const auto& m : p_.modules)
      for (const auto& a : m.attrs) mark(a);
    // Parametrizations (`register_parametrization(module, "weight", P())`) transform a weight, not a batch.
    std::vector<char> excluded(p_.modules.size(), 0);
    for (const auto& f : p_.functions)
      for (const auto& n : f.nodes) {
        if (n.op != "call" && n.op != "register_parametrization") continue;
        if (hw::last_component(n.name) != "register_parametrization") continue;
        for (ir::NodeId a : hw::operands(n)) {
          int32_t c = hw::class_of_value(p_, f, a);
          if (c < 0)  // a class of the scanned tree spelled by its dotted path
            for (const auto& m : p_.modules)
              if (!m.qualname.empty() && m.qualname == f.node(a).name) c = m.id;
          if (c >= 0) excluded[static_cast<size_t>(c)] = 1;
        }
      }
    for (const auto& m : p_.modules) {
      if (!m.is_nn_module || used[static_cast<size_t>(m.id)] || excluded[static_cast<size_t>(m.id)]) continue;
      int32_t fwd = ir::find_method(p_, m.id, "forward");
      if (fwd < 0) continue;
      const ir::Function& f = p_.fn(fwd);
      root_module_ = m.name;
      analyse(fwd, root_context(f), false, 0);
    }
    // Submodules no root reached (held in containers or variables the analysis cannot follow):
    // their forward takes a batch too.
    std::set<int32_t> seen;
    for (const auto& [k, r] : memo_) seen.insert(k.first);
    for (const auto& m : p_.modules) {
      if (!m.is_nn_module || !used[static_cast<size_t>(m.id)] || excluded[static_cast<size_t>(m.id)]) continue;
      int32_t fwd = ir::find_method(p_, m.id, "forward");
      if (fwd < 0 || seen.count(fwd)) continue;
      if (p_.fn(fwd).owner_module != m.id) continue;  // inherited: analysed with its own class
      const ir::Function& f = p_.fn(fwd);
      root_module_ = m.name;
      analyse(fwd, root_context(f), false, 0);
    }
    return std::move(findings_);
  }

 private:
  const ir::Program& p_;
  const Analyses& a_;
  const RuleInfo& info_;
  std::string root_module_;
  std::vector<Mix> mixes_;
  std::set<int> reported_;
  std::map<std::pair<int32_t, std::string>, BV> memo_;
  std::set<std::pair<int32_t, std::string>> active_;
  std::vector<Finding> findings_;

  // What a root forward's parameters hold: batches of samples (dimension 0), except those used as
  // index structures.
  std::vector<BV> root_context(const ir::Function& f) const {
    std::vector<BV> ctx(f.param_nodes.size());
    auto uses = hw::build_uses(f);
    for (size_t i = 1; i < ctx.size(); ++i) {
      ctx[i].bdim = used_as_index(f, f.param_nodes[i], 0) ? -1 : 0;
      ctx[i].tensor = param_is_tensor(f, f.param_nodes[i], uses);
    }
    return ctx;
  }

  // Whether a parameter holds indices into other tensors (a graph's `edge_index` (2, E), a CSR
  // row pointer): it, a row of it or a concatenation with it indexes a tensor, is the index of an
  // index_add / scatter / gather, or the indices of a sparse tensor, here or in a function of the
  // tree it is handed to. Its dimension 0 is no batch.
  bool used_as_index(const ir::Function& f, ir::NodeId pid, int depth) const {
    if (depth > 3) return false;
    static const std::set<std::string> index_ops = {"index_add", "index_select", "index_copy",    "index_fill",
                                                    "gather",    "scatter",      "scatter_add",   "scatter_reduce",
                                                    "index_put", "index_reduce", "take_along_dim"};
    const auto uses = hw::build_uses(f);
    std::vector<ir::NodeId> work{pid};
    std::set<ir::NodeId> seen;
    while (!work.empty()) {
      ir::NodeId v = work.back();
      work.pop_back();
      if (v < 0 || !seen.insert(v).second || seen.size() > 64) continue;
      for (ir::NodeId u : uses[static_cast<size_t>(v)]) {
        const ir::Node& n = f.node(u);
        const bool first = !n.args.empty() && n.args[0] == v;
        if (n.op == "getitem" && n.args.size() == 2 && n.args[1] == v) return true;
        if (index_ops.count(n.op) && !first) return true;
        if (n.op == "sparse_coo_tensor" && first) return true;
        long k;
        if ((n.op == "getitem" && first && n.args.size() == 2 && const_int(f, n.args[1], &k)) || n.op == "cat" ||
            n.op == "stack" || n.op == "tuple" || n.op == "list") {
          work.push_back(n.id);
          continue;
        }
        if (n.op == "module_call" || n.op == "call") {
          auto [g, param] = callee_parameter(n, v);
          if (g >= 0 && used_as_index(p_.fn(g), param, depth + 1)) return true;
        }
      }
    }
    return false;
  }

  // A forward parameter is treated as a tensor when the function uses it as one. Handed to a
  // submodule of the tree whose forward only unpacks it (a cache tuple the attention layer indexes),
  // it is a container, not a batch.
  bool param_is_tensor(const ir::Function& f, ir::NodeId pid, const std::vector<std::vector<ir::NodeId>>& uses) const {
    for (ir::NodeId u : uses[static_cast<size_t>(pid)]) {
      const ir::Node& n = f.node(u);
      if (n.op == "getitem" || n.op == "iter_item" || n.op == "branch" || n.op == "is" || n.op == "is_not" ||
          n.op == "call" || n.op == "len" || n.op == "tuple" || n.op == "list" || n.op == "dict" || n.op == "phi" ||
          n.op == "return" || n.op == "attr" || n.op == "setattr" || n.op == "not" || n.op == "and" || n.op == "or" ||
          n.op == "select" || n.op == "in" || n.op == "not_in" || n.op == "eq" || n.op == "ne")
        continue;
      if (n.op == "module_call") {
        auto [g, param] = callee_parameter(n, pid);
        if (g >= 0 && only_unpacked(p_.fn(g), param)) continue;
        return true;
      }
      if (n.has(ir::kLearned) || keeps_dims(n.op) || dim_op(n.op) || ir::is_shape_op(n.op)) return true;
    }
    return false;
  }

  // Whether a parameter is only tested against None, measured or indexed by constants (`p[0]`,
  // `p[:2]`, `len(p)`): how a tuple of tensors is used, never a batch.
  static bool only_unpacked(const ir::Function& f, ir::NodeId pid) {
    const auto uses = hw::build_uses(f);
    bool indexed = false;
    for (ir::NodeId u : uses[static_cast<size_t>(pid)]) {
      const ir::Node& n = f.node(u);
      if (n.op == "is" || n.op == "is_not" || n.op == "branch" || n.op == "not" || n.op == "len") continue;
      if (n.op != "getitem" || n.args.size() != 2 || n.args[0] != pid) return false;
      const ir::Node& idx = f.node(n.args[1]);
      long k;
      bool constant_index = const_int(f, n.args[1], &k);
      if (idx.op == "slice") {
        constant_index = true;
        for (ir::NodeId b : idx.args)
          if (b >= 0 && !is_none(f, b) && !const_int(f, b, &k)) constant_index = false;
      }
      if (!constant_index) return false;
      indexed = true;
    }
    return indexed;
  }

  // The function of the tree a call runs and its parameter that receives `value` (passed once, by
  // position or keyword), or {-1, -1}.
  std::pair<int32_t, ir::NodeId> callee_parameter(const ir::Node& n, ir::NodeId value) const {
    int32_t g = -1;
    size_t offset = 0;  // parameters before the first argument
    if (n.op == "module_call" && n.target_module >= 0) {
      g = ir::find_method(p_, n.target_module, "forward");
      offset = 1;
    } else if (n.op == "call" && n.target_function >= 0) {
      g = n.target_function;
    }
    if (g < 0) return {-1, -1};
    const ir::Function& gf = p_.fn(g);
    ir::NodeId found = ir::kNoNode;
    int count = 0;
    for (size_t i = 0; i < n.args.size(); ++i)
      if (n.args[i] == value && ++count && i + offset < gf.param_nodes.size()) found = gf.param_nodes[i + offset];
    for (const auto& [k, v] : n.kwargs) {
      if (v != value || k == "self") continue;
      ++count;
      auto it = std::find(gf.params.begin(), gf.params.end(), k);
      if (it != gf.params.end()) found = gf.param_nodes[static_cast<size_t>(it - gf.params.begin())];
    }
    if (count != 1 || found == ir::kNoNode) return {-1, -1};
    return {g, found};
  }

  int new_mix(const ir::Function& f, const ir::Node& n, std::string what, bool batched) {
    Mix m;
    m.fn = f.id;
    m.node = n.id;
    m.loc = n.loc;
    m.what = std::move(what);
    m.batched = batched;
    m.module = root_module_;
    // One mix per source location.
    for (size_t i = 0; i < mixes_.size(); ++i)
      if (mixes_[i].loc.file == n.loc.file && mixes_[i].loc.line == n.loc.line && mixes_[i].loc.col == n.loc.col)
        return static_cast<int>(i);
    mixes_.push_back(std::move(m));
    return static_cast<int>(mixes_.size() - 1);
  }

  void report_bits(uint64_t bits, const ir::Loc* where, const char* how) {
    for (int i = 0; i < 64 && bits; ++i)
      if (bits & (1ull << i)) {
        bits &= ~(1ull << i);
        if (static_cast<size_t>(i) < mixes_.size()) report(i, where, how);
      }
  }

  void report(int mix, const ir::Loc* where, const char* how) {
    if (mix < 0 || !reported_.insert(mix).second) return;
    const Mix& m = mixes_[static_cast<size_t>(mix)];
    const ir::Function& f = p_.fn(m.fn);
    Finding fd = finding_at(info_, p_, m.loc,
                            fmt::format("`{}` {} in the forward of `{}`: one request's output depends on the other "
                                        "requests in its batch",
                                        source_text(p_, m.loc), m.what, m.module),
                            f.qualname);
    fd.module = m.module;
    fd.trace.push_back(step(p_, m.loc, "source", m.what));
    if (where) fd.trace.push_back(step(p_, *where, "sink", how));
    findings_.push_back(std::move(fd));
  }

  std::string ctx_key(const std::vector<BV>& ctx, bool guarded) {
    std::string k = guarded ? "G" : "";
    for (const auto& b : ctx) k += b.key() + "|";
    return k;
  }

  BV analyse(int32_t fid, const std::vector<BV>& ctx, bool guarded, int depth) {
    std::string k = ctx_key(ctx, guarded);
    auto key = std::make_pair(fid, k);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (active_.count(key) || depth > 10) return BV{};
    active_.insert(key);
    BV r = compute(p_.fn(fid), ctx, guarded, depth);
    active_.erase(key);
    memo_[key] = r;
    return r;
  }

  // Nodes that only run in training (`if self.training:` bodies, code after `if not self.training: return`).
  std::vector<char> training_only(const ir::Function& f, const std::vector<BV>& ctx) {
    return hw::training_only(p_, f, training_flag(&ctx));
  }

  std::vector<BV> callee_context(const ir::Function& f, const ir::Node& n, const std::vector<BV>& V,
                                 const ir::Function& g, size_t first, bool self_first) {
    std::vector<BV> ctx(g.param_nodes.size());
    size_t pi = self_first ? 1 : 0;
    for (size_t i = first; i < n.args.size() && pi < ctx.size(); ++i, ++pi)
      if (n.args[i] >= 0) ctx[pi] = V[static_cast<size_t>(n.args[i])];
    for (const auto& [k, v] : n.kwargs) {
      if (v < 0 || k == "self") continue;
      for (size_t j = 0; j < g.params.size() && j < ctx.size(); ++j)
        if (g.params[j] == k) ctx[j] = V[static_cast<size_t>(v)];
    }
    (void)f;
    return ctx;
  }

  // The Attr a `self.<path>` layer op was built from, with the function holding its construction.
  const ir::Node* layer_ctor(int32_t owner, const std::string& path, const ir::Function** where) {
    if (owner < 0) return nullptr;
    const ir::Attr* a = ir::module_attr(p_, owner, path);
    if (!a || a->init_node < 0) return nullptr;
    std::vector<int32_t> mods{owner};
    for (size_t i = 0; i < mods.size() && i < 16; ++i)
      for (int32_t b : p_.mod(mods[i]).base_modules) mods.push_back(b);
    for (int32_t m : mods)
      for (const auto& [name, fid] : p_.mod(m).methods) {
        const ir::Function& g = p_.fn(fid);
        if (static_cast<size_t>(a->init_node) >= g.nodes.size()) continue;
        const ir::Node& n = g.node(a->init_node);
        if (n.loc.line == a->loc.line && n.loc.file == a->loc.file) {
          *where = &g;
          return &n;
        }
      }
    return nullptr;
  }

  // The module attribute a called value names: self.x, self.xs[i], an element of `for b in self.xs`.
  const ir::Attr* callee_attr(const ir::Function& f, ir::NodeId c, int32_t owner) {
    if (owner < 0 || c < 0) return nullptr;
    const ir::Node& n = f.node(c);
    if ((n.op == "iter_item" || n.op == "getitem") && !n.args.empty()) {
      const ir::Attr* a = callee_attr(f, n.args[0], owner);
      if (!a || a->kind != ir::AttrKind::Container) return nullptr;
      return a;
    }
    if (n.op == "attr" && !n.args.empty() && hw::is_self_param(f, n.args[0])) return ir::module_attr(p_, owner, n.name);
    return nullptr;
  }

  bool batch_first(int32_t owner, const std::string& path) {
    const ir::Function* g = nullptr;
    const ir::Node* ctor = layer_ctor(owner, path, &g);
    if (!ctor) return false;
    ir::NodeId bf = hw::kwarg(*ctor, "batch_first");
    return bf >= 0 && truthy_const(*g, bf);
  }

  // What a torch.nn layer of kind `op` does to the batch dim of its input.
  BV layer_effect(const std::string& op, const BV& in, bool bf) {
    BV r;
    r.mix = in.mix;
    r.tensor = true;
    if (op == "lstm" || op == "gru" || op == "rnn") {
      BV out, hidden;
      out.tensor = hidden.tensor = true;
      out.mix = hidden.mix = in.mix;
      if (in.bdim == 0 && bf) {
        out.bdim = 0;
        hidden.bdim = 1;
      }
      BV h = hidden;
      if (op == "lstm") {
        h.tuple = true;
        h.tensor = false;
      }
      r.tuple = true;
      r.tensor = false;
      r.elems = std::make_shared<std::vector<BV>>(std::vector<BV>{out, h});
      return r;
    }
    if (op == "multi_head_attention") {
      BV out;
      out.tensor = true;
      out.mix = in.mix;
      out.bdim = in.bdim == 0 && bf ? 0 : -1;
      BV w = out;
      r.tuple = true;
      r.tensor = false;
      r.elems = std::make_shared<std::vector<BV>>(std::vector<BV>{out, w});
      return r;
    }
    if (op == "transformer") {
      r.bdim = in.bdim == 0 && bf ? 0 : -1;
      return r;
    }
    if (op == "flatten") {  // nn.Flatten: start_dim=1
      r.bdim = in.bdim == 0 ? 0 : -1;
      return r;
    }
    r.bdim = keeps_dims(op) ? in.bdim : -1;
    return r;
  }

  BV container_call(int32_t owner, const ir::Attr& c, BV v, bool guarded, int depth) {
    if (c.type == "ModuleList" || c.type == "ModuleDict" || c.children.empty()) return BV{};
    for (const auto& ch : c.children) {
      if (ch.kind == ir::AttrKind::Layer) {
        const ir::LayerInfo* li = ir::torch_layer(ch.type);
        v = layer_effect(li ? li->op : "?", v, false);
      } else if (ch.kind == ir::AttrKind::Submodule && ch.module_class >= 0) {
        int32_t fwd = ir::find_method(p_, ch.module_class, "forward");
        if (fwd < 0) return BV{};
        std::vector<BV> ctx(p_.fn(fwd).param_nodes.size());
        if (ctx.size() >= 2) ctx[1] = v;
        v = analyse(fwd, ctx, guarded, depth + 1);
      } else if (ch.kind == ir::AttrKind::Container) {
        v = container_call(owner, ch, v, guarded, depth);
      } else {
        return BV{};
      }
    }
    return v;
  }

  BV compute(const ir::Function& f, const std::vector<BV>& ctx, bool guarded, int depth) {
    const size_t N = f.nodes.size();
    std::vector<BV> V(N);
    std::vector<char> train = training_only(f, ctx);
    auto uses = hw::build_uses(f);
    int32_t owner = a_.owner_module(f);
    BV ret;
    bool have_ret = false;
    for (int pass = 0; pass < 2; ++pass) {
      ret = BV{};
      have_ret = false;
      bool last = pass == 1;
      for (const auto& n : f.nodes) {
        bool g = guarded || train[static_cast<size_t>(n.id)];
        BV r = eval(f, n, V, ctx, g, owner, depth, last, uses);
        V[static_cast<size_t>(n.id)] = r;
        if ((n.op == "return" || n.op == "yield") && !n.args.empty() && n.args[0] >= 0) {
          ret = have_ret ? BV::merge(ret, V[static_cast<size_t>(n.args[0])]) : V[static_cast<size_t>(n.args[0])];
          have_ret = true;
        }
      }
    }
    return ret;
  }

  // A combination of an aggregate / moved rows with per-sample data.
  void check_combination(const ir::Function& f, const ir::Node& n, const std::vector<ir::NodeId>& ops,
                         const std::vector<BV>& V, bool guarded) {
    if (guarded) return;
    for (ir::NodeId x : ops) {
      const BV& X = V[static_cast<size_t>(x)];
      if (!X.mix) continue;
      for (ir::NodeId y : ops) {
        if (y == x) continue;
        const BV& Y = V[static_cast<size_t>(y)];
        if (Y.bdim >= 0 && Y.tensor)
          report_bits(X.mix & ~Y.mix, &n.loc, "combined here with per-sample data of the batch");
      }
    }
    (void)f;
  }

  // Whether a value holds integer counts: an integer dtype asked for, an integer conversion, or a
  // count of a mask (`(x > 0).sum(1)`, `mask.long().sum(1)`).
  static bool integer_valued(const ir::Function& f, ir::NodeId id, int depth = 0) {
    if (id < 0 || depth > 4) return false;
    const ir::Node& n = f.node(id);
    ir::NodeId dt = hw::kwarg(n, "dtype");
    if (dt >= 0) {
      const std::string& t = f.node(dt).name;
      return t.find("int") != std::string::npos || t.find("long") != std::string::npos;
    }
    if (n.op == "long" || n.op == "int" || n.op == "bincount" || n.op == "count_nonzero" || n.op == "nonzero" ||
        ir::is_comparison(n.op))
      return true;
    if ((n.op == "sum" || n.op == "cumsum") && !n.args.empty()) return integer_valued(f, n.args[0], depth + 1);
    if (in_python_ints(f, id)) return true;
    if ((n.op == "mul" || n.op == "add") && n.args.size() == 2)
      return integer_valued(f, n.args[0], depth + 1) && integer_valued(f, n.args[1], depth + 1);
    return false;
  }

  // Whether the code reads the value's items as Python ints (`for s in counts: range(int(s))`).
  static bool in_python_ints(const ir::Function& f, ir::NodeId id) {
    for (const auto& it : f.nodes) {
      if (it.op != "iter_item" || it.args.empty() || it.args[0] != id) continue;
      for (const auto& u : f.nodes)
        if (u.op == "call" && u.name == "int" && !u.args.empty() && u.args[0] == it.id) return true;
    }
    return false;
  }

  bool used_as_data(const ir::Function& f, ir::NodeId id, const std::vector<std::vector<ir::NodeId>>& uses) {
    for (ir::NodeId u : uses[static_cast<size_t>(id)]) {
      const ir::Node& n = f.node(u);
      std::string_view op = n.op;
      if (op == "size" || op == "dim" || op == "numel" || op == "len" || op == "print") continue;
      if (op == "attr" && (n.name == "shape" || n.name == "dtype" || n.name == "device" || n.name == "ndim")) continue;
      if (op == "call" && (n.name == "print" || n.name == "len" || n.name.starts_with("logging."))) continue;
      return true;
    }
    return false;
  }

  BV eval(const ir::Function& f, const ir::Node& n, std::vector<BV>& V, const std::vector<BV>& ctx, bool guarded,
          int32_t owner, int depth, bool last, const std::vector<std::vector<ir::NodeId>>& uses) {
    auto v = [&](ir::NodeId id) -> BV {
      return id >= 0 && static_cast<size_t>(id) < V.size() ? V[static_cast<size_t>(id)] : BV{};
    };
    auto arg = [&](size_t i) -> ir::NodeId { return i < n.args.size() ? n.args[i] : ir::kNoNode; };
    const std::string& op = n.op;
    BV in = v(arg(0));
    uint64_t any_mix = 0;
    for (ir::NodeId a : hw::operands(n)) any_mix |= v(a).mix;

    auto mark = [&](BV r, const std::string& what, bool batched) {
      if (guarded) return r;
      int m = new_mix(f, n, what, batched);
      r.mix |= bit(m);
      if (batched && last && used_as_data(f, n.id, uses)) report(m, nullptr, nullptr);
      return r;
    };

    if (op == "param") {
      size_t pos = n.num ? static_cast<size_t>(*n.num) : 0;
      return pos < ctx.size() ? ctx[pos] : BV{};
    }
    if (op == "const" || op == "global" || op == "def" || op == "lambda" || op == "class") return BV{};
    if (op == "phi") {
      BV r;
      bool first = true;
      for (ir::NodeId a : n.args) {
        if (a < 0) continue;
        if (a >= n.id && !last) continue;
        r = first ? v(a) : BV::merge(r, v(a));
        first = false;
      }
      return r;
    }
    if (op == "select" && n.args.size() == 3) {
      int pol = hw::training_polarity(f, n.args[0], training_flag(&ctx));
      BV a = v(n.args[1]), b = v(n.args[2]);
      if (pol == 1) a.mix = 0;
      if (pol == -1) b.mix = 0;
      return BV::merge(a, b);
    }
    if (op == "tuple" || op == "list") {
      BV r;
      r.tuple = true;
      r.elems = std::make_shared<std::vector<BV>>();
      for (ir::NodeId a : n.args) r.elems->push_back(v(a));
      r.mix = any_mix;
      return r;
    }
    if (op == "iter_item") {
      if (in.tuple) return in.merged_elements();
      BV r;  // a row of a batched tensor: per-sample
      r.tensor = in.tensor;
      r.mix = in.mix;
      return r;
    }
    if (op == "attr") {
      if (n.name == "training" && hw::is_self_param(f, arg(0))) {
        BV r;
        r.training = true;
        return r;
      }
      if (n.name == "shape") {
        BV r;
        r.shape_of = in.bdim;
        return r;
      }
      if (n.name == "T" || n.name == "mT" || n.name == "data" || n.name == "real") {
        BV r = in;
        if (n.name == "T") r.bdim = -1;
        return r;
      }
      if (n.name == "dtype" || n.name == "device" || n.name == "ndim") return BV{};
      if (in.tuple) return in.merged_elements();
      return BV{};
    }
    if (op == "size" && n.args.size() >= 1) {
      long d;
      BV r;
      if (n.args.size() == 1)
        r.shape_of = in.bdim;
      else if (const_int(f, arg(1), &d) && in.bdim >= 0 && d == in.bdim)
        r.bsize = true;
      return r;
    }
    if (op == "numel" || op == "nelement" || op == "dim" || op == "ndimension" || op == "element_size" ||
        op == "stride" || op == "is_contiguous" || op == "get_device" || op == "is_floating_point")
      return BV{};
    if (op == "len" || (op == "call" && n.name == "len")) {
      BV r;
      r.bsize = in.bdim == 0 && in.tensor;
      return r;
    }
    if (op == "getitem" && n.args.size() == 2 && n.args[0] >= 0 && n.args[1] >= 0)
      return getitem(f, n, V, guarded, last, uses);
    if (op == "setitem" && n.args.size() == 3) {
      BV base = v(arg(0)), val = v(arg(2));
      if (!guarded && val.mix && base.bdim >= 0 && base.tensor) {
        uint64_t bits = val.mix & ~base.mix;
        // x[k, ...] = f(x[k, ...]): a sample written with its own data.
        long k;
        const ir::Node& ix = node_or_empty(f, arg(1));
        ir::NodeId first = ix.op == "tuple" && !ix.args.empty() ? ix.args[0] : arg(1);
        if (base.bdim == 0 && const_int(f, first, &k) && !node_or_empty(f, first).name.empty())
          for (size_t i = 0; i < mixes_.size() && i < 64; ++i)
            if (mixes_[i].pick == k) bits &= ~bit(static_cast<int>(i));
        report_bits(bits, &n.loc, "written into per-sample data of the batch");
      }
      BV r = base;
      r.mix |= val.mix;
      return r;
    }

    // Calls into the tree.
    if ((op == "call" || op == "call_value") && n.target_function >= 0) {
      const ir::Function& g = p_.fn(n.target_function);
      size_t first = op == "call_value" ? 1 : 0;
      bool self_first = false;
      if (g.owner_module >= 0 && !g.param_nodes.empty()) {
        bool sm = std::find(g.decorators.begin(), g.decorators.end(), "staticmethod") != g.decorators.end();
        bool receiver_passed = n.name.starts_with("self.") || n.name.starts_with("cls.") ||
                               (n.args.size() > first && hw::is_self_param(f, n.args[first]));
        self_first = !sm && !receiver_passed;
      }
      return analyse(n.target_function, callee_context(f, n, V, g, first, self_first), guarded, depth + 1);
    }
    if (op == "module_call") {
      if (n.target_module >= 0) {
        int32_t fwd = ir::find_method(p_, n.target_module, "forward");
        if (fwd < 0) return BV{};
        const ir::Function& g = p_.fn(fwd);
        return analyse(fwd, callee_context(f, n, V, g, 0, true), guarded, depth + 1);
      }
      const ir::Attr* a = owner >= 0 ? ir::module_attr(p_, owner, n.name) : nullptr;
      if (a && a->kind == ir::AttrKind::Container) return container_call(owner, *a, in, guarded, depth);
      if (a && a->kind == ir::AttrKind::Layer) {
        const ir::LayerInfo* li = ir::torch_layer(a->type);
        return layer_effect(li ? li->op : "?", in, batch_first(owner, n.name));
      }
      BV r;
      r.mix = any_mix;
      return r;
    }
    if (op == "call" && n.target_module >= 0) return BV{};  // constructing a module
    if (op == "call_value" && !n.args.empty()) {
      // blk(x) for blk in self.blocks / self.blocks[i](x) / self.heads[k](x): the container's children.
      if (const ir::Attr* a = callee_attr(f, n.args[0], owner)) {
        std::vector<BV> args;
        for (size_t i = 1; i < n.args.size(); ++i) args.push_back(v(n.args[i]));
        bool have = false;
        BV r;
        auto one = [&](const ir::Attr& c) {
          BV x;
          if (c.kind == ir::AttrKind::Layer) {
            const ir::LayerInfo* li = ir::torch_layer(c.type);
            x = layer_effect(li ? li->op : "?", args.empty() ? BV{} : args[0], false);
          } else if (c.kind == ir::AttrKind::Submodule && c.module_class >= 0) {
            int32_t fwd = ir::find_method(p_, c.module_class, "forward");
            if (fwd < 0) return;
            std::vector<BV> cx(p_.fn(fwd).param_nodes.size());
            for (size_t i = 0; i < args.size() && i + 1 < cx.size(); ++i) cx[i + 1] = args[i];
            x = analyse(fwd, cx, guarded, depth + 1);
          } else if (c.kind == ir::AttrKind::Container) {
            x = container_call(owner, c, args.empty() ? BV{} : args[0], guarded, depth);
          } else {
            return;
          }
          r = have ? BV::merge(r, x) : x;
          have = true;
        };
        const std::string& cop = f.node(n.args[0]).op;
        if (a->kind == ir::AttrKind::Container && (cop == "iter_item" || cop == "getitem"))
          for (const auto& c : a->children) one(c);
        else
          one(*a);
        if (have) return r;
      }
    }

    // Layer ops rewritten from `self.<layer>(x)`: rnn-style layers need batch_first.
    if (op == "lstm" || op == "gru" || op == "rnn" || op == "multi_head_attention" || op == "transformer") {
      bool bf = !n.name.empty() && n.name.find('.') == std::string::npos ? batch_first(owner, n.name) : false;
      if (op == "multi_head_attention" && n.name.find('.') != std::string::npos) bf = false;
      return layer_effect(op, in, bf);
    }

    // Index / permutation sources.
    if (op == "randperm") {
      BV r;
      r.tensor = true;
      r.perm = true;
      return r;
    }
    if (op == "arange") {
      BV r;
      r.tensor = true;
      long s0;
      BV a0 = v(arg(0));
      if (n.args.size() == 1 && a0.bsize) r.arange_b = true;
      if (n.args.size() == 2 && const_int(f, arg(0), &s0) && s0 == 0 && v(arg(1)).bsize) r.arange_b = true;
      return r;
    }

    // Reductions and scans.
    if (const DimOp* d = dim_op(op)) {
      if (!in.tensor || in.bdim < 0) {
        BV r;
        r.tensor = in.tensor;
        r.mix = any_mix;
        if (in.tuple) r = BV{};
        return r;
      }
      ir::NodeId dn = values::operand(n, static_cast<size_t>(d->pos), "dim");
      if (dn < 0) dn = hw::kwarg(n, "axis");
      if (dn < 0 && (op == "normalize")) dn = hw::kwarg(n, "dim");
      std::vector<long> dims;
      bool have = false;
      if (dn >= 0 && !is_none(f, dn)) {
        have = const_dims(f, dn, &dims);
        if (!have) {
          // max(a, b) / min(a, b): elementwise.
          if ((op == "max" || op == "min") && (v(dn).tensor || v(dn).bdim >= 0)) {
            BV r = in;
            r.mix = any_mix;
            check_combination(f, n, hw::operands(n), V, guarded);
            return r;
          }
          BV r;
          r.tensor = true;
          r.mix = any_mix;
          return r;
        }
      } else if (d->default_dim != -999) {
        dims.push_back(d->default_dim);
        have = true;
      }
      bool keepdim = false;
      ir::NodeId kd = hw::kwarg(n, "keepdim");
      if (kd < 0 && d->keepdim_pos >= 0 && dn >= 0) kd = arg(static_cast<size_t>(d->keepdim_pos));
      if (kd >= 0) keepdim = truthy_const(f, kd);
      BV r;
      r.tensor = true;
      r.mix = any_mix;
      bool over_batch = !have ? d->full_default : std::find(dims.begin(), dims.end(), in.bdim) != dims.end();
      if (over_batch) {
        std::string what = d->scan ? fmt::format(
                                         "computes `{}` along the batch dimension: each row depends on "
                                         "the other rows",
                                         op)
                           : have ? fmt::format("reduces over the batch dimension (`{}`)", op)
                                  : fmt::format("reduces the whole batch to one value (`{}`)", op);
        if (d->scan) {
          r.bdim = in.bdim;
          if (op == "argsort") r.perm = true;
          // Running totals of per-sample counts are offsets into a packed batch (varlen attention's
          // cu_seqlens): bookkeeping, reported only if they meet per-sample data.
          bool offsets = op == "cumsum" && (integer_valued(f, n.id) || integer_valued(f, arg(0)));
          r = mark(r, what, op != "argsort" && !offsets);
        } else {
          r.bdim = keepdim ? in.bdim : -1;
          const uint64_t before = r.mix;
          r = mark(r, what, false);
          if (op == "max" || op == "amax")
            for (size_t i = 0; i < mixes_.size() && i < 64; ++i)
              if ((r.mix & ~before) & bit(static_cast<int>(i))) mixes_[i].upper_bound = true;
        }
      } else {
        r.bdim = in.bdim;
        if (!keepdim && !d->scan)
          for (long x : dims)
            if (x >= 0 && x < in.bdim) --r.bdim;
        for (long x : dims)
          if (x < 0 && in.bdim > 0) r.bdim = -1;
      }
      if (d->tuple) {
        BV t;
        t.tuple = true;
        t.mix = r.mix;
        BV idx = r;
        if (op == "sort" || op == "topk") idx.perm = over_batch;
        t.elems = std::make_shared<std::vector<BV>>(std::vector<BV>{r, idx});
        return t;
      }
      return r;
    }

    // Moving rows: roll / flip along the batch dim.
    if (op == "roll" || op == "flip" || op == "flipud") {
      ir::NodeId dn = op == "roll" ? values::operand(n, 2, "dims") : values::operand(n, 1, "dims");
      std::vector<long> dims;
      bool over = false;
      if (op == "flipud")
        over = true;
      else if (dn < 0 && op == "roll")
        over = true;  // roll of the flattened tensor
      else if (dn >= 0 && const_dims(f, dn, &dims))
        over = std::find(dims.begin(), dims.end(), in.bdim) != dims.end();
      BV r = in;
      r.mix = any_mix;
      if (in.arange_b && over) {
        r.arange_b = false;
        r.perm = true;
        return r;
      }
      if (in.perm) return r;
      if (in.bdim >= 0 && in.tensor && over)
        return mark(r, fmt::format("moves rows across the batch dimension (`{}`)", op), true);
      return r;
    }
    if (op == "unfold" && n.args.size() == 4) {
      // Tensor.unfold(dim, size, step): sliding windows along a dim.
      long d;
      BV r = in;
      r.mix = any_mix;
      if (const_int(f, arg(1), &d) && in.bdim >= 0 && d == in.bdim && in.tensor)
        return mark(r, "takes sliding windows across the batch dimension (`unfold`)", true);
      return r;
    }
    if (op == "index_select" || op == "gather" || op == "take_along_dim") {
      long d;
      BV idx = v(values::operand(n, 2, "index"));
      BV r = in;
      r.mix = any_mix;
      if (const_int(f, values::operand(n, 1, "dim"), &d) && in.bdim >= 0 && d == in.bdim) {
        if (idx.perm) return mark(r, "reorders the batch with a permutation", true);
        if (!idx.arange_b) r.bdim = -1;
      }
      return r;
    }
    if (op == "batch_norm") {
      // F.batch_norm(x, mean, var, weight, bias, training, ...): training=True uses batch statistics.
      ir::NodeId tr = values::operand(n, 5, "training");
      BV r = in;
      r.mix = any_mix;
      if (tr >= 0 && truthy_const(f, tr) && in.bdim >= 0 && in.tensor)
        return mark(r, "normalises with statistics of the whole batch (`training=True`)", true);
      return r;
    }

    // Shape ops.
    if (op == "view" || op == "reshape") return reshape(f, n, V);
    if (op == "view_as" || op == "reshape_as") {
      BV r = v(arg(1));
      r.mix = any_mix;
      r.tensor = true;
      return r;
    }
    if (op == "flatten") {
      long s = 0;
      ir::NodeId sd = values::operand(n, 1, "start_dim");
      bool ok = sd < 0 ? true : const_int(f, sd, &s);
      BV r = in;
      r.mix = any_mix;
      if (!ok || s < 0 || in.bdim < 0 || s <= in.bdim) r.bdim = -1;
      return r;
    }
    if (op == "unflatten") {
      long d;
      BV r = in;
      r.mix = any_mix;
      if (!const_int(f, values::operand(n, 1, "dim"), &d) || d < 0 || d <= in.bdim) r.bdim = -1;
      return r;
    }
    if (op == "permute") {
      std::vector<long> dims;
      bool ok = true;
      if (n.args.size() == 2)
        ok = const_dims(f, arg(1), &dims);
      else
        for (size_t i = 1; i < n.args.size() && ok; ++i) {
          long x;
          ok = const_int(f, arg(i), &x);
          dims.push_back(x);
        }
      if (hw::kwarg(n, "dims") >= 0) {
        dims.clear();
        ok = const_dims(f, hw::kwarg(n, "dims"), &dims);
      }
      BV r = in;
      r.mix = any_mix;
      r.bdim = -1;
      if (ok && in.bdim >= 0)
        for (size_t i = 0; i < dims.size(); ++i)
          if (dims[i] == in.bdim) r.bdim = static_cast<int>(i);
      return r;
    }
    if (op == "transpose" || op == "swapaxes" || op == "swapdims" || op == "movedim" || op == "moveaxis") {
      long a, b;
      BV r = in;
      r.mix = any_mix;
      if (in.bdim < 0) return r;
      if (!const_int(f, arg(1), &a) || !const_int(f, arg(2), &b)) {
        r.bdim = -1;
        return r;
      }
      if (a < 0 && b < 0) return r;  // the last dims
      if (a < 0 || b < 0) {
        r.bdim = -1;
        return r;
      }
      if (op == "movedim" || op == "moveaxis") {
        if (a == in.bdim)
          r.bdim = static_cast<int>(b);
        else if (a < in.bdim && b >= in.bdim)
          r.bdim = in.bdim - 1;
        else if (a > in.bdim && b <= in.bdim)
          r.bdim = in.bdim + 1;
        return r;
      }
      if (a == in.bdim)
        r.bdim = static_cast<int>(b);
      else if (b == in.bdim)
        r.bdim = static_cast<int>(a);
      return r;
    }
    if (op == "t") {
      BV r = in;
      r.mix = any_mix;
      if (in.bdim == 0)
        r.bdim = 1;
      else if (in.bdim == 1)
        r.bdim = 0;
      return r;
    }
    if (op == "unsqueeze") {
      long d;
      BV r = in;
      r.mix = any_mix;
      if (in.bdim < 0) return r;
      if (!const_int(f, values::operand(n, 1, "dim"), &d))
        r.bdim = -1;
      else if (d >= 0 && d <= in.bdim)
        ++r.bdim;
      return r;
    }
    if (op == "squeeze") {
      long d;
      BV r = in;
      r.mix = any_mix;
      if (in.bdim < 0) return r;
      ir::NodeId dn = values::operand(n, 1, "dim");
      if (dn < 0) return r;
      if (!const_int(f, dn, &d))
        r.bdim = -1;
      else if (d == in.bdim)
        r.bdim = -1;
      else if (d >= 0 && d < in.bdim)
        --r.bdim;
      return r;
    }
    if (op == "repeat" || op == "tile") {
      long k;
      BV r = in;
      r.mix = any_mix;
      if (in.bdim == 0 && !(const_int(f, arg(1), &k) && k == 1)) r.bdim = -1;
      return r;
    }
    if (op == "repeat_interleave") {
      BV r = in;
      r.mix = any_mix;
      long d;
      ir::NodeId dn = values::operand(n, 2, "dim");
      if (dn < 0 || !const_int(f, dn, &d) || d == in.bdim) r.bdim = -1;
      return r;
    }
    if (op == "chunk" || op == "split" || op == "unbind" || op == "tensor_split") {
      long d = 0;
      ir::NodeId dn = op == "unbind" ? values::operand(n, 1, "dim") : values::operand(n, 2, "dim");
      bool ok = dn < 0 || const_int(f, dn, &d);
      BV e = in;
      e.mix = any_mix;
      if (!ok || d == in.bdim || d < 0) e.bdim = -1;
      if (op == "unbind" && ok && d >= 0 && d < in.bdim) --e.bdim;
      BV t = e;
      t.tuple = true;
      t.tensor = false;
      return t;
    }
    if (op == "cat" || op == "stack" || op == "concat" || op == "hstack" || op == "vstack") {
      ir::NodeId ln = arg(0);
      std::vector<ir::NodeId> items;
      if (ln >= 0 && (f.node(ln).op == "list" || f.node(ln).op == "tuple"))
        for (ir::NodeId it : f.node(ln).args)
          if (it >= 0) items.push_back(it);
      long d = 0;
      ir::NodeId dn = values::operand(n, 1, "dim");
      bool ok = dn < 0 || const_int(f, dn, &d);
      int bd = -2;
      bool all_tensor = !items.empty();
      for (ir::NodeId it : items) {
        const BV& b = V[static_cast<size_t>(it)];
        if (b.bdim >= 0) bd = bd == -2 || bd == b.bdim ? b.bdim : -1;
        all_tensor &= b.tensor || b.bdim >= 0;
      }
      BV r;
      r.tensor = true;
      r.mix = any_mix;
      if (ln >= 0) r.mix |= V[static_cast<size_t>(ln)].mix;
      if (bd >= 0 && ok && d >= 0) {
        if (op == "stack")
          r.bdim = d <= bd ? -1 : bd;
        else
          r.bdim = d == bd ? -1 : bd;
      }
      if (r.bdim >= 0 && ok && d != bd) check_combination(f, n, items, V, guarded);
      return r;
    }
    if (op == "einsum") {
      BV r;
      r.tensor = true;
      r.mix = any_mix;
      std::string eq;
      if (n.args.size() < 2 || !hw::string_const(f.node(arg(0)), &eq)) return r;
      eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
      size_t arrow = eq.find("->");
      if (arrow == std::string::npos) return r;
      std::string out = eq.substr(arrow + 2);
      std::vector<std::string> subs;
      for (size_t a = 0, b; a <= arrow; a = b + 1) {
        b = eq.find(',', a);
        if (b == std::string::npos || b > arrow) b = arrow;
        subs.push_back(eq.substr(a, b - a));
        if (b == arrow) break;
      }
      int mixed = -1;
      for (size_t i = 0; i < subs.size() && i + 1 < n.args.size(); ++i) {
        BV x = v(arg(i + 1));
        const std::string& sub = subs[i];
        if (x.bdim < 0 || sub.find('.') != std::string::npos || static_cast<size_t>(x.bdim) >= sub.size()) continue;
        char b = sub[static_cast<size_t>(x.bdim)];
        size_t at = out.find(b);
        if (at == std::string::npos)
          mixed = 1;
        else if (out.find('.') == std::string::npos)
          r.bdim = static_cast<int>(at);
      }
      if (mixed == 1 && !(r.bdim >= 0)) r = mark(r, "sums over the batch dimension (`einsum`)", false);
      return r;
    }
    if (op == "matmul") {
      BV r;
      r.tensor = true;
      r.mix = any_mix;
      BV b = v(arg(1));
      // x.t() @ x: a 2-d product contracting over the batch (a batch covariance / Gram matrix).
      const ir::Node& an = node_or_empty(f, arg(0));
      bool transposed_batch = (an.op == "t" && in.bdim == 1) ||
                              (an.op == "attr" && an.name == "T" && !an.args.empty() && v(an.args[0]).bdim == 0);
      if (transposed_batch && b.bdim == 0 && b.tensor)
        return mark(r, "contracts over the batch dimension (`x.T @ x`)", false);
      if (in.bdim == 0) r.bdim = 0;
      return r;
    }
    if (ir::is_tensor_factory(op) || op == "new_zeros" || op == "new_ones" || op == "new_full" || op == "new_empty") {
      BV r;
      r.tensor = true;
      return r;
    }

    // Per-sample ops: keep the batch dim of the first operand; combining operands.
    if (n.has(ir::kLearned) || keeps_dims(op)) {
      std::vector<ir::NodeId> ops = hw::operands(n);
      int bd = -2;
      bool tensor = false;
      for (ir::NodeId a : ops) {
        const BV& b = V[static_cast<size_t>(a)];
        tensor |= b.tensor;
        if (b.bdim >= 0) bd = bd == -2 || bd == b.bdim ? b.bdim : -1;
      }
      BV r;
      r.bdim = bd >= 0 ? bd : -1;
      r.tensor =
          tensor || n.has(ir::kLearned) || (r.bdim >= 0 && !ir::is_elementwise_math(op) && !ir::is_comparison(op));
      if (in.tensor && in.bdim >= 0 && !ir::is_elementwise_math(op) && !ir::is_comparison(op)) r.bdim = in.bdim;
      r.mix = any_mix;
      r.bsize = in.bsize && ops.size() == 1;
      if (ops.size() >= 2) check_combination(f, n, ops, V, guarded);
      return r;
    }
    // Anything else (unknown calls, Python ops): the batch dim is no longer known.
    BV r;
    r.mix = any_mix;
    if (op == "int" || op == "float") r.bsize = in.bsize;
    if (op == "call" && (n.name == "int" || n.name == "float")) r.bsize = in.bsize;
    return r;
  }

  BV reshape(const ir::Function& f, const ir::Node& n, const std::vector<BV>& V) {
    BV in = n.args.empty() ? BV{} : V[static_cast<size_t>(n.args[0])];
    BV r = in;
    r.bdim = -1;
    r.tensor = true;
    for (ir::NodeId a : hw::operands(n)) r.mix |= V[static_cast<size_t>(a)].mix;
    if (in.bdim != 0 || n.args.size() < 2) return r;
    ir::NodeId first = n.args[1];
    if (first < 0) return r;
    const ir::Node& fn = f.node(first);
    if ((fn.op == "tuple" || fn.op == "list") && n.args.size() == 2) first = fn.args.empty() ? ir::kNoNode : fn.args[0];
    if (first >= 0 && V[static_cast<size_t>(first)].bsize) r.bdim = 0;
    // view(*x.shape[:k], ...) / view(x.shape): the same leading dims.
    if (first >= 0 && f.node(first).op == "starred") r.bdim = -1;
    if (n.args.size() == 2 && V[static_cast<size_t>(n.args[1])].shape_of == 0) r.bdim = 0;
    return r;
  }

  // A literal list of at least two indices, possibly wrapped in torch.tensor / LongTensor.
  static bool literal_index(const ir::Function& f, ir::NodeId e) {
    if (e < 0) return false;
    const ir::Node* n = &f.node(e);
    if ((n->op == "tensor" || n->op == "LongTensor" || n->op == "as_tensor") && !n->args.empty() && n->args[0] >= 0)
      n = &f.node(n->args[0]);
    if (n->op != "list" || n->args.size() < 2) return false;
    long k;
    for (ir::NodeId a : n->args)
      if (!const_int(f, a, &k)) return false;
    return true;
  }

  // The mixes that reach index `idx` only as the stop of a slice along a dimension other than the
  // batch's, and that are batch maxima: `x[:, :int(lengths.max())]` drops what every sample has as
  // padding (the idiom that trims a padded batch to its longest sample).
  uint64_t padding_trims(const ir::Function& f, ir::NodeId idx, const std::vector<BV>& V, int bdim) const {
    const ir::Node& in = f.node(idx);
    std::vector<ir::NodeId> items = in.op == "tuple" ? in.args : std::vector<ir::NodeId>{idx};
    uint64_t stops = 0, other = 0;
    int pos = 0;
    for (ir::NodeId e : items) {
      if (e < 0) return 0;
      const ir::Node& en = f.node(e);
      if (en.op == "const" && en.name == "...") return 0;
      if (is_none(f, e) && en.op != "slice") continue;
      if (en.op == "slice" && pos != bdim) {
        for (size_t j = 0; j < en.args.size(); ++j)
          if (en.args[j] >= 0) (j == 1 ? stops : other) |= V[static_cast<size_t>(en.args[j])].mix;
      } else {
        other |= V[static_cast<size_t>(e)].mix;
      }
      ++pos;
    }
    uint64_t upper = 0;
    for (size_t i = 0; i < mixes_.size() && i < 64; ++i)
      if (mixes_[i].upper_bound) upper |= bit(static_cast<int>(i));
    return stops & ~other & upper;
  }

  BV getitem(const ir::Function& f, const ir::Node& n, std::vector<BV>& V, bool guarded, bool last,
             const std::vector<std::vector<ir::NodeId>>& uses) {
    const BV base = V[static_cast<size_t>(n.args[0])];
    const ir::NodeId idx = n.args[1];
    const ir::Node& in = f.node(idx);
    long k;
    if (base.tuple) {
      if (const_int(f, idx, &k)) return base.element(k);
      return base.merged_elements();
    }
    if (base.shape_of >= 0) {
      BV r;
      if (const_int(f, idx, &k) && k == base.shape_of) r.bsize = true;
      if (in.op == "slice") r.shape_of = base.shape_of;  // x.shape[:2]
      return r;
    }
    BV r = base;
    r.bsize = false;
    r.perm = false;
    r.arange_b = false;
    // An index computed across the batch (x[x.norm(dim=1).argmax()]) carries that mix, unless it
    // only trims padding.
    uint64_t index_mix = V[static_cast<size_t>(idx)].mix;
    for (ir::NodeId a : hw::operands(in)) index_mix |= V[static_cast<size_t>(a)].mix;
    r.mix |= index_mix & ~padding_trims(f, idx, V, base.bdim);
    if (base.bdim < 0) {
      r.tensor = base.tensor;
      if (base.perm && in.op == "slice") r.perm = true;
      return r;
    }
    // Index elements, in order.
    std::vector<ir::NodeId> items;
    if (in.op == "tuple")
      items = in.args;
    else
      items.push_back(idx);
    int pos = 0, out = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      ir::NodeId e = items[i];
      if (e < 0) {
        r.bdim = -1;
        return r;
      }
      const ir::Node& en = f.node(e);
      bool ellipsis = en.op == "const" && en.name == "...";
      bool none = is_none(f, e) && !ellipsis;
      if (ellipsis) {
        // `x[..., k]`: the batch stays at 0 when nothing came before the ellipsis.
        if (pos == 0 && base.bdim == 0 && out == 0) return r;
        r.bdim = -1;
        return r;
      }
      if (none) {
        ++out;
        continue;
      }
      if (pos != base.bdim) {
        if (en.op == "slice") {
          ++pos;
          ++out;
          continue;
        }
        if (const_int(f, e, &k)) {
          ++pos;
          continue;
        }
        r.bdim = -1;  // advanced indexing before the batch dim
        return r;
      }
      // The element indexing the batch dim.
      const BV& ev = V[static_cast<size_t>(e)];
      std::string text = source_text(p_, n.loc);
      if (en.op == "slice") {
        std::vector<ir::NodeId> b(en.args.begin(), en.args.end());
        bool full = true, bounded_const = false;
        for (size_t j = 0; j < b.size(); ++j) {
          if (is_none(f, b[j])) continue;
          long c;
          if (j == 1 && V[static_cast<size_t>(b[j])].bsize) continue;  // x[:B]
          full = false;
          if (const_int(f, b[j], &c) && !(j == 2 && c == 1) && !(j == 0 && c == 0)) bounded_const = true;
          if (j == 2 && const_int(f, b[j], &c) && c == 1) full = full;  // step 1
        }
        if (full) {
          r.bdim = out;
          return r;
        }
        r.bdim = out;
        if (bounded_const && !guarded && base.tensor) {
          r.mix |= bit(new_mix(f, n, "slices a fixed part of the batch", false));
          return r;
        }
        r.bdim = -1;
        return r;
      }
      if (const_int(f, e, &k) && !en.name.empty()) {
        // x[0]: one sample's data.
        r.bdim = -1;
        if (!guarded && base.tensor) {
          int m = new_mix(f, n, fmt::format("takes sample {} of the batch", k), false);
          mixes_[static_cast<size_t>(m)].pick = k;
          r.mix |= bit(m);
        }
        return r;
      }
      if (ev.perm) {
        r.bdim = out;
        if (guarded) return r;
        int m = new_mix(f, n, "reorders the batch with a permutation", true);
        r.mix |= bit(m);
        if (last && used_as_data(f, n.id, uses)) report(m, nullptr, nullptr);
        return r;
      }
      if (ev.arange_b) {
        r.bdim = out;
        return r;
      }
      if (literal_index(f, e)) {
        // x[[1, 0, 3, 2]] / x[torch.tensor([...])]: rows at fixed batch positions.
        r.bdim = out;
        if (guarded || !base.tensor) return r;
        int m = new_mix(f, n, "selects fixed rows of the batch", true);
        r.mix |= bit(m);
        if (last && used_as_data(f, n.id, uses)) report(m, nullptr, nullptr);
        return r;
      }
      r.bdim = -1;  // a per-sample index, a mask or an unknown gather
      return r;
    }
    return r;  // the batch dim is not indexed
  }
};

class BatchMixing : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BM001", "within-batch-mixing", "batch", Severity::Warning,
                            "data mixed across the batch dimension in forward: one request reads or sets another's"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    BatchAnalysis a(ctx.program, ctx.analyses, info());
    for (auto& f : a.run()) ctx.report(std::move(f));
  }
};

ARCHSCAN_REGISTER_RULE(BatchMixing);

}  // namespace
}  // namespace archscan::rules
