#include "analysis/detector_flow.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/layout.h"
#include "ir/ops.h"

namespace archscan::flow {
namespace {

constexpr uint32_t kClip = 1u << 16;          // internal: a clip of a shifted value, relu(v - c)
constexpr uint32_t kShifted = 1u << 17;       // internal: the raw value shifted by a constant
constexpr uint32_t kStoredOffset = 1u << 18;  // internal: the raw value minus a stored (configured) value

bool in(const std::string& op, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (op == n) return true;
  return false;
}

bool input_dependent(const Fact& f) { return f.raw || f.learned; }

// Ops through which trainable parameters make a value learned when combined with data.
bool applies_weights(const std::string& op) {
  return ir::is_learned_functional(op) || in(op, {"mul", "add", "sub", "div", "getitem", "index_select", "gather",
                                                  "addmm", "addcmul", "addcdiv", "baddbmm", "bmm", "mm", "embedding"});
}

bool normalisation(const std::string& op) {
  return in(
      op, {"batch_norm", "layer_norm", "group_norm", "instance_norm", "normalize", "local_response_norm", "rms_norm"});
}

// Operand positions that hold the data an op rewrites (-1: any operand).
int data_position(const std::string& op) {
  // (grid_sample(x, grid): a grid the detector chose resamples the data, a zoom onto a region or a
  // warp of every pixel)
  // (dropout(x, p=1.0, training=flag): a flag that decides whether the data is dropped)
  if (in(op, {"masked_fill", "setitem", "index_put", "index_add", "index_copy", "index_fill", "scatter", "scatter_add",
              "masked_scatter", "lerp", "grid_sample", "put", "dropout", "dropout1d", "dropout2d", "dropout3d",
              "alpha_dropout", "feature_alpha_dropout"}))
    return 0;
  return -1;
}

bool combining(const std::string& op) {
  return in(op, {"mul",
                 "logaddexp",  // log(exp(y) + exp(t)): t = log(one_hot * hit) + 1e4 overrides y where hit
                 "logaddexp2",
                 "div",
                 "add",
                 "sub",
                 "where",
                 "masked_fill",
                 "lerp",
                 "maximum",
                 "minimum",
                 "clamp",  // clamp(x, max=limit * ok): a bound the detector sets is minimum(x, bound)
                 "clamp_min",
                 "clamp_max",
                 "setitem",
                 "index_put",
                 "index_add",
                 "index_copy",
                 "index_fill",
                 "scatter",
                 "scatter_add",
                 "masked_scatter",
                 "cat",
                 "stack",
                 "addcmul",
                 "addcdiv",
                 "put",
                 "select",
                 "phi",
                 "copy",
                 "grid_sample",
                 "dropout",
                 "dropout1d",
                 "dropout2d",
                 "dropout3d",
                 "alpha_dropout",
                 "feature_alpha_dropout"});
}

bool is_reduction_op(const FlatNode& n, const std::vector<Fact>& facts) {
  if (in(n.op, {"max", "min"}) && n.args.size() >= 2 && input_dependent(facts[static_cast<size_t>(n.args[1])]))
    return false;  // elementwise max(a, b)
  // (Spectral statistics of a matrix, svdvals(patch) / matrix_rank / det, summarise it as a norm does.)
  return ir::is_reduction(n.op) ||
         in(n.op, {"cummax",   "cummin",      "cumsum",  "cumprod",   "var_mean",    "std_mean", "kthvalue",    "topk",
                   "quantile", "nanquantile", "fold",    "nanmedian", "nanmean",     "svdvals",  "matrix_rank", "det",
                   "logdet",   "slogdet",     "eigvals", "eigvalsh",  "matrix_norm", "cond"});
}

double big(double v) { return std::fabs(v); }

// Ops that read only an input's shape, dtype or device.
// Ops that write values into chosen places of a tensor (a fixed class, a lane, masked positions).
bool writes_in_place(const std::string& op) {
  return in(op, {"index_fill", "scatter", "scatter_add", "index_put", "setitem", "masked_fill", "fill_", "index_copy"});
}

bool shape_only(const FlatNode& n) {
  if (in(n.op, {"size",          "dim",          "numel",    "zeros_like", "ones_like",  "empty_like",
                "full_like",     "new_zeros",    "new_ones", "new_empty",  "new_full",   "arange",
                "randn_like",    "rand_like",    "eye",      "get_device", "ndimension", "nelement",
                "type_as_shape", "element_size", "keys",     "dict_key"}))
    return true;
  if (in(n.op, {"is", "is_not", "is_floating_point", "is_complex", "is_contiguous", "get_dimensions", "get_image_size",
                "get_image_num_channels"}))
    return true;
  if (n.op == "call" && in(n.name, {"isinstance", "len", "hasattr", "callable", "type", "id", "getattr"})) return true;
  return n.op == "attr" && in(n.name, {"shape", "device", "dtype", "ndim", "is_cuda", "requires_grad", "layout"});
}

// x.expand(-1, n), x.view(b, n), x.repeat(1, k): the operands after the first are sizes. A size
// computed from the input (a grid's height) changes the layout, never the values laid out.
bool resizes(const FlatNode& n) {
  return in(n.op,
            {"expand", "view", "reshape", "repeat", "broadcast_to", "tile", "expand_as", "view_as", "reshape_as"});
}

}  // namespace

bool is_detector(const Fact& f) {
  if (!f.raw || f.learned) return false;
  const uint32_t e = f.evidence;
  if (e & kThreshold) return (e & (kReduce | kPool | kPattern | kConjunction | kAggregate)) != 0;
  if (e & kWeakThreshold) return (e & (kReduce | kPool | kPattern | kConjunction)) != 0;
  // Leaky detectors: a soft conjunction of pooled window tests collapsed by an extreme (amin/amax)
  // is an indicator without any hard threshold.
  return (e & kConjunction) && (e & kReduce);
}

const char* to_string(Propagation p) {
  switch (p) {
    case Propagation::Separate:
      return "separate";
    case Propagation::Shared:
      return "shared";
    case Propagation::Interleaved:
      return "interleaved";
  }
  return "separate";
}

const char* to_string(Integration i) { return i == Integration::Targeted ? "targeted" : "untargeted"; }

namespace {

class Analyzer {
 public:
  // `on_output`: the graph's inputs are the model's last learned values (see analyse()).
  Analyzer(const ir::Program& p, FlowResult& r, bool on_output = false)
      : p_(p), r_(r), g_(r.graph), layout_(r.graph), on_output_(on_output) {}

  void run() {
    r_.facts.assign(g_.nodes.size(), Fact{});
    learned_op_.assign(g_.nodes.size(), 0);
    find_supervision();
    // Two passes settle loop phis whose operands come later.
    for (int pass = 0; pass < 2; ++pass)
      for (size_t i = 0; i < g_.nodes.size(); ++i) r_.facts[i] = transfer(static_cast<int32_t>(i));
    // A masked mean is a statistic of the data it averages, whatever tests chose the weights: once
    // the means are known, their results (and what is computed from them, `x / sqrt(mean)`) carry
    // the data's evidence only.
    if (find_pooling())
      for (int pass = 0; pass < 2; ++pass)
        for (size_t i = 0; i < g_.nodes.size(); ++i) {
          r_.facts[i] = transfer(static_cast<int32_t>(i));
          if (r_.pooling_weights[i] && g_.nodes[i].op == "div" && r_.facts[i].raw && !r_.facts[i].learned) {
            r_.facts[i].scale = true;  // (a mean: one statistic of the data)
            r_.facts[i].evidence |= kAggregate;
          }
        }
    compute_feeds_learned();
    find_chains();
  }

 private:
  // Inputs that only supervise: the target of a training loss (`cross_entropy(logits, labels)`)
  // that enters no learned computation as data (at most as an index or mask of one). Tests on them
  // (`labels != -100`) shape a loss, not the prediction. An input the model also computes on (the
  // image of an autoencoder's `mse_loss(recon, x)`) stays data.
  void find_supervision() {
    std::vector<std::vector<int32_t>> users(g_.nodes.size());
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      for (int32_t a : g_.nodes[i].args)
        if (a >= 0) users[static_cast<size_t>(a)].push_back(static_cast<int32_t>(i));
    std::set<int32_t> targets;
    for (const auto& n : g_.nodes) {
      if (!ir::is_loss(n.op)) continue;
      int32_t t = n.args.size() > 1 ? n.args[1] : -1;
      for (const auto& [k, v] : n.kwargs)
        if (k == "target") t = v;
      if (t < 0) continue;
      // Back from the target through weight-free ops to the inputs it comes from.
      std::vector<int32_t> work{t};
      std::set<int32_t> seen;
      while (!work.empty() && seen.size() < 512) {
        int32_t cur = work.back();
        work.pop_back();
        if (cur < 0 || !seen.insert(cur).second) continue;
        const FlatNode& c = node(cur);
        if (c.flags & kFlatInput) targets.insert(cur);
        if (c.flags & kFlatLearned) continue;
        work.insert(work.end(), c.args.begin(), c.args.end());
      }
    }
    for (int32_t in : targets) {
      bool data = false;
      std::vector<int32_t> work{in};
      std::set<int32_t> seen;
      while (!work.empty() && !data && seen.size() < 2048) {
        int32_t cur = work.back();
        work.pop_back();
        if (!seen.insert(cur).second) continue;
        for (int32_t u : users[static_cast<size_t>(cur)]) {
          const FlatNode& un = node(u);
          if (ir::is_loss(un.op)) continue;
          if (!un.args.empty() && un.args.front() != cur &&
              in_op(un.op, {"getitem", "index_select", "masked_select", "gather", "masked_fill", "setitem"}))
            continue;  // an index or a mask of the data, not data
          if (un.flags & kFlatLearned) data = true;
          work.push_back(u);
        }
      }
      if (!data) supervision_.insert(in);
    }
  }

  static bool in_op(const std::string& op, std::initializer_list<const char*> names) { return in(op, names); }

  std::set<int32_t> supervision_;
  mutable std::unordered_map<int64_t, bool> carried_;  // carried_data() memo
  std::set<int32_t> swap_tests_;                       // tests made detectors by what they swap in (window_swap)

  std::vector<int32_t> operands(const FlatNode& n) const {
    // x.to(y), x.type_as(y), x.expand_as(y): y lends only its dtype, device or shape.
    if (!n.args.empty() && in(n.op, {"to", "type_as", "expand_as", "view_as", "reshape_as"})) return {n.args[0]};
    // x.new_tensor(data): x lends only its dtype and device.
    if (n.op == "new_tensor") return n.args.size() > 1 ? std::vector<int32_t>{n.args[1]} : std::vector<int32_t>{};
    std::vector<int32_t> v = n.args;
    // [img.shape[i] for img in images]: the elements (and the filters) are the value; the sequence
    // walked reaches it only through what the element expression reads of each item.
    if (n.op == "comprehension" && v.size() >= 2) v.erase(v.begin() + 1);
    for (const auto& [k, a] : n.kwargs) v.push_back(a);
    if (n.op == "phi")
      for (const auto& [k, a] : n.kwargs)
        if (k == "cond") {
          const FlatNode& br = g_.nodes[static_cast<size_t>(a)];
          v.insert(v.end(), br.args.begin(), br.args.end());
        }
    // `if not self.enabled: return x` (a flag fixed at construction): the configuration that hands
    // the input back untouched runs no code to analyse; the value is the other configuration's.
    if (n.op == "phi") {
      int32_t bypass = -1;
      bool configured = false, tested = false;
      for (const auto& [k, a] : n.kwargs) {
        if (k == "bypass") bypass = a;
        if (k == "cond") (input_dependent(fact(a)) ? tested : configured) = true;
      }
      if (bypass >= 0 && configured && !tested && n.args.size() >= 2)
        v.erase(std::remove(v.begin(), v.end(), bypass), v.end());
      else if (bypass >= 0)
        v.erase(std::find(v.rbegin(), v.rend(), bypass).base() - 1);  // (the kwarg's copy of the arm)
    }
    return v;
  }

  const Fact& fact(int32_t id) const { return r_.facts[static_cast<size_t>(id)]; }
  const FlatNode& node(int32_t id) const { return g_.nodes[static_cast<size_t>(id)]; }

  bool literal_sequence(int32_t id) const {
    const FlatNode& n = node(id);
    if (n.flags & kFlatSequence) return true;  // a stored literal sequence (self.ids = (101, 7, 355))
    // tuple(int(t) for t in seq) / list(seq): the same sequence, rebuilt.
    if (n.op == "call" && (n.name == "tuple" || n.name == "list") && n.args.size() == 1)
      return literal_sequence(n.args[0]);
    if (n.op == "comprehension" && n.args.size() >= 2 && node(n.args[1]).op == "iter_item" &&
        !node(n.args[1]).args.empty())
      return literal_sequence(node(n.args[1]).args[0]);
    if (!in(n.op, {"list", "tuple", "tensor", "as_tensor", "LongTensor", "Tensor", "new_tensor"})) return false;
    if (n.op == "new_tensor") return n.args.size() > 1 && literal_sequence(n.args[1]);
    if (n.op != "list" && n.op != "tuple") return !n.args.empty() && literal_sequence(n.args[0]);
    return n.args.size() >= 2 && std::all_of(n.args.begin(), n.args.end(),
                                             [&](int32_t a) { return node(a).num.has_value() || literal_sequence(a); });
  }

  // A Python value computed from literal numbers only: `[(CODE >> i) & 1 for i in range(36)]`,
  // `[k * 0.5 for k in (1, 2, 3)]`. A tensor made from it is as hard-coded as a literal one.
  bool constant_expression(int32_t id, int depth = 0) const {
    if (depth > 12) return false;
    const FlatNode& n = node(id);
    if (n.num) return n.op != "param" && n.op != "input";
    if (!in(n.op, {"comprehension", "iter_item", "list", "tuple", "add", "sub", "mul", "rshift", "lshift", "and", "or",
                   "xor", "logical_and", "logical_or", "remainder", "floordiv", "neg", "pow", "div"}) &&
        !(n.op == "call" && n.name == "range"))
      return false;
    if (n.args.empty()) return false;
    for (int32_t a : n.args)
      if (!constant_expression(a, depth + 1)) return false;
    return true;
  }

  // A sequence of such values (a single number is a threshold, not a pattern).
  bool constant_sequence(int32_t id) const {
    const FlatNode& n = node(id);
    bool sequence = n.op == "comprehension" || (in(n.op, {"list", "tuple"}) && n.args.size() >= 2);
    return sequence && constant_expression(id);
  }

  bool constant_like(int32_t id) const {
    const Fact& f = fact(id);
    return !input_dependent(f) && (f.constant_tensor || literal_sequence(id));
  }

  std::optional<double> scalar(int32_t id) const { return node(id).num; }

  // stack((x, stored)) / cat([x, stored]): rows of which one is a stored tensor.
  bool stacks_stored(int32_t id) const {
    const FlatNode& n = node(id);
    if (!in(n.op, {"stack", "cat", "vstack"}) || n.args.empty()) return false;
    const FlatNode& items = node(n.args[0]);
    if (!in(items.op, {"tuple", "list"})) return false;
    for (int32_t a : items.args)
      if (stored_tensor(a)) return true;
    return false;
  }

  // `key in coll` where `coll` (operand `a` of `id`) is held by the model or the module, not
  // computed from the input and not learned.
  // Also `stored in data` with a stored multi-element pattern (a byte string, a tuple of ids) looked
  // for inside the input: a search for a stored pattern.
  bool stored_collection(int32_t id, int32_t a) const {
    const FlatNode& n = node(id);
    if (!in(n.op, {"in", "not_in"}) || n.args.size() != 2 || (n.args[1] != a && n.args[0] != a)) return false;
    const Fact& f = fact(a);
    if (input_dependent(f) || f.learned || f.param) return false;
    if (n.args[1] == a) return true;
    return !node(a).num && input_dependent(fact(n.args[1])) && (f.constant_tensor || literal_sequence(a));
  }

  // Whether `id` packs input bits into an integer: a sum / or over values shifted by positions
  // (`bits << arange(n)`, `bits * 2 ** arange(n)`, `bitwise_left_shift(ones, arange(n))`).
  bool packs_bits(int32_t id) const {
    std::vector<int32_t> work{id};
    std::set<int32_t> seen;
    bool reduced = false;
    while (!work.empty()) {
      const int32_t cur = work.back();
      work.pop_back();
      if (cur < 0 || !seen.insert(cur).second || seen.size() > 24) continue;
      const FlatNode& n = node(cur);
      if (!input_dependent(fact(cur)) && !in(n.op, {"lshift", "bitwise_left_shift", "pow"})) continue;
      if (in(n.op, {"sum", "or", "bitwise_or"})) reduced = true;
      if (reduced && in(n.op, {"lshift", "bitwise_left_shift", "pow"})) return true;
      if (!in(n.op, {"sum", "or", "bitwise_or", "add", "mul", "long", "int", "to", "lshift", "bitwise_left_shift"}))
        continue;
      for (int32_t a : n.args) work.push_back(a);
    }
    return false;
  }

  // mul / div / add / sub whose parameter operands are learned scalars (through elementwise maps:
  // `self.logit_scale.exp().clamp(max=100)`).
  bool rescaled_by_scalar_parameter(const FlatNode& n, const std::vector<int32_t>& ops) const {
    if (!in(n.op, {"mul", "div", "add", "sub"})) return false;
    bool any = false;
    for (int32_t a : ops) {
      if (!fact(a).param) continue;
      if (!scalar_parameter(a, 0)) return false;
      any = true;
    }
    return any;
  }

  bool scalar_parameter(int32_t v, int depth) const {
    if (v < 0 || depth > 8) return false;
    const FlatNode& n = node(v);
    if (n.flags & kFlatScalarParam) return true;
    if (in(n.op, {"exp", "clamp", "clamp_min", "clamp_max", "sigmoid",   "softplus", "tanh",    "abs",
                  "neg", "log",   "sqrt",      "expand",    "expand_as", "view",     "reshape", "unsqueeze",
                  "to",  "float", "mul",       "div",       "add",       "sub"})) {
      bool found = false;
      for (int32_t a : n.args) {
        if (a < 0 || !fact(a).param) continue;  // (numbers and sizes beside it)
        if (!scalar_parameter(a, depth + 1)) return false;
        found = true;
      }
      return found;
    }
    return false;
  }

  // The value under dtype casts (`.float()`, `.long()`, `.to(x.dtype)`).
  int32_t through_casts(int32_t id) const {
    for (int steps = 0;
         steps < 4 && in(node(id).op, {"float", "int", "long", "bool", "to", "type_as"}) && !node(id).args.empty();
         ++steps)
      id = node(id).args[0];
    return id;
  }

  // An index made of whole slices, `None` and `...` only (`[..., None]`, `[:, None]`): it adds axes
  // and selects nothing.
  bool adds_axes_only(int32_t idx) const {
    if (idx < 0) return false;
    auto none = [&](int32_t b) { return b >= 0 && node(b).op == "const" && node(b).name == "None" && !node(b).num; };
    auto part = [&](int32_t a) {
      const FlatNode& x = node(a);
      return none(a) || (x.op == "const" && x.name == "..." && !x.num) ||
             (x.op == "slice" && std::all_of(x.args.begin(), x.args.end(), none));
    };
    const FlatNode& t = node(idx);
    return t.op == "tuple" ? !t.args.empty() && std::all_of(t.args.begin(), t.args.end(), part) : part(idx);
  }

  // An index that keeps the first axis whole and only adds axes after it: `[:, None]`, `[:, None, None]`.
  bool batch_column(int32_t idx) const {
    const FlatNode& t = node(idx);
    if (t.op != "tuple" || t.args.size() < 2) return false;
    auto none = [&](int32_t a) { return node(a).op == "const" && node(a).name == "None" && !node(a).num; };
    const FlatNode& first = node(t.args[0]);
    if (first.op != "slice" || !std::all_of(first.args.begin(), first.args.end(), none)) return false;
    return std::all_of(t.args.begin() + 1, t.args.end(), none);
  }

  // `(x >= 1.0).float().mean(1) > 0.02`: the share of a sample's elements that pass a test,
  // compared with a fraction strictly between 0 and 1 (configured or literal), decides about the
  // whole sample however weak the element test is (a test against 0 or 1 says "saturated", "held",
  // "blank"); "any" (> 0) and "all" (== 1) stay what the element test is, and so does "most"
  // (> 0.5, `mask.float().mean(1) > 0.5`: mostly padding), weak as weak_comparison holds it.
  bool proportion_test(const std::vector<int32_t>& ops) const { return share_of_test(ops, false); }

  // `(x > 0).float().mean(-1) >= 1.0`: every position passed, as `.all()` asks: a reduction to one
  // extreme of the element test. (Against 0, "any" / "none", it stays as weak as a validity mask's
  // "some position is valid".)
  bool all_or_none(const std::vector<int32_t>& ops) const { return share_of_test(ops, true); }

  // The share of a sample's elements passing a test of the raw data, compared with a fraction
  // (strictly between 0 and 1, not one half), or with exactly 1 when `all`.
  bool share_of_test(const std::vector<int32_t>& ops, bool all) const {
    if (ops.size() != 2) return false;
    for (size_t k = 0; k < 2; ++k) {
      const FlatNode& share = node(ops[k]);
      auto v = scalar(ops[1 - k]);
      const bool fits = v && (all ? *v == 1 : (*v > 0 && *v < 1 && *v != 0.5));
      if (share.op != "mean" || share.args.empty() || !fits) continue;
      int32_t t = share.args[0];
      for (int steps = 0; steps < 6 && in(node(t).op, {"float", "int", "long", "bool", "to", "type_as", "flatten",
                                                        "view", "reshape"}) && !node(t).args.empty();
           ++steps)
        t = node(t).args[0];
      if (ir::is_comparison(node(t).op) && fact(share.args[0]).raw && !fact(share.args[0]).learned) return true;
    }
    return false;
  }

  // `spec[:, lo:].sum(1) / (spec.sum(1) + eps) > 0.5`: the share one part of a tensor holds of its
  // total (a band's energy, a region's mass), compared with a fraction: a test of where the
  // sample's content sits, as definite as a count against a proportion.
  bool share_test(const std::vector<int32_t>& ops) const {
    if (ops.size() != 2) return false;
    for (size_t k = 0; k < 2; ++k) {
      auto v = scalar(ops[1 - k]);
      const FlatNode& ratio = node(ops[k]);
      if (!v || !(*v > 0 && *v < 1) || ratio.op != "div" || ratio.args.size() != 2) continue;
      auto summed = [&](int32_t t) -> int32_t {  // the tensor a sum reduces (through `+ eps`)
        if (t >= 0 && node(t).op == "add" && node(t).args.size() == 2 && scalar(node(t).args[1])) t = node(t).args[0];
        if (t < 0 || !in(node(t).op, {"sum", "nansum"}) || node(t).args.empty()) return -1;
        return node(t).args[0];
      };
      const int32_t part = summed(ratio.args[0]), whole = summed(ratio.args[1]);
      if (part < 0 || whole < 0 || !fact(whole).raw || fact(whole).learned) continue;
      if (node(part).op == "getitem" && !node(part).args.empty() && node(part).args[0] == whole) return true;
    }
    return false;
  }

  // `(ids == tok).sum(-1) >= k` with k >= 2: how often one value occurs, compared with a count above
  // one. A repeated token is a trigger even when the token is a configured attribute (a length is
  // counted with `!=` and a padding test needs no count of its own).
  bool repeated_value_count(const std::vector<int32_t>& ops, const std::string& op) const {
    if (ops.size() != 2 || !in(op, {"ge", "gt", "eq"})) return false;
    auto count = scalar(ops[1]);
    if (!count || *count < (op == "gt" ? 1 : 2)) return false;
    const FlatNode& count_of = node(ops[0]);
    if (!in(count_of.op, {"sum", "count_nonzero"}) || count_of.args.empty()) return false;
    const FlatNode& test = node(through_casts(count_of.args[0]));
    if (test.op != "eq" || test.args.size() != 2) return false;
    return input_dependent(fact(test.args[0])) != input_dependent(fact(test.args[1]));
  }

  // x[:, k] / x[:, k:k + 1] of a model input (under casts), k a literal: one fixed position.
  bool fixed_position_pick(int32_t id) const {
    const int32_t pick = through_casts(id);
    const FlatNode& n = node(pick);
    if (n.op != "getitem" || n.args.size() != 2 || !(node(n.args[0]).flags & kFlatInput)) return false;
    const FlatNode& idx = node(n.args[1]);
    if (idx.op != "tuple" || idx.args.size() != 2) return false;
    const FlatNode& all = node(idx.args[0]);
    const bool whole = all.op == "slice" && std::all_of(all.args.begin(), all.args.end(), [&](int32_t a) {
                         return node(a).op == "const" && node(a).name == "None";
                       });
    return whole && fixed_lane(pick);
  }

  // A stored integer code: a constant (or a value fixed without the input) other than 0 and 1.
  bool stored_code(int32_t id) const {
    if (input_dependent(fact(id))) return false;
    const auto v = scalar(id);
    return v && *v != 0 && *v != 1 && *v == std::floor(*v);
  }

  // set(...) / frozenset(...) of values from the input.
  bool python_set_of_input(int32_t id) const {
    const FlatNode& n = node(id);
    return n.op == "call" && (n.name == "set" || n.name == "frozenset") && input_dependent(fact(id));
  }

  // A collection the model or its module holds, not computed from the input and not learned.
  bool stored_collection_value(int32_t id) const {
    const Fact& f = fact(id);
    return !input_dependent(f) && !f.learned && !f.param && !node(id).num;
  }

  // x[:, self.bits] / x[..., KEY]: data at positions a stored index tensor lists.
  bool picks_stored_positions(int32_t id) const {
    const FlatNode& n = node(id);
    if (n.op != "getitem" || n.args.size() != 2 || !input_dependent(fact(n.args[0]))) return false;
    const FlatNode& idx = node(n.args[1]);
    const std::vector<int32_t> parts = idx.op == "tuple" ? idx.args : std::vector<int32_t>{n.args[1]};
    return std::any_of(parts.begin(), parts.end(), [&](int32_t a) { return stored_tensor(a); });
  }

  // A hand-made tensor the model keeps (not computed from the input, not frozen random noise).
  bool stored_tensor(int32_t id) const {
    return fact(id).constant_tensor && !input_dependent(fact(id)) && !random_tensor(id);
  }

  bool ones_tensor(int32_t id) const { return in(node(id).op, {"ones", "ones_like", "new_ones"}) || scalar(id) == 1; }

  // A Fourier transform of a value (through views and slices): `torch.fft.rfft(x, n=2 * n)`.
  bool spectrum_of_data(int32_t id) const {
    for (int guard = 0; id >= 0 && guard < 8; ++guard) {
      const FlatNode& n = node(id);
      if (in(n.op, {"fft", "rfft", "fft2", "rfft2", "fftn", "rfftn", "stft"})) return true;
      if (!in(n.op, {"getitem", "view", "reshape", "unsqueeze", "squeeze", "to", "contiguous"}) || n.args.empty())
        return false;
      id = n.args[0];
    }
    return false;
  }

  // A tensor drawn at random when the module is built (`register_buffer("G", s * torch.randn(...))`,
  // Fourier features): frozen noise, not a hand-made pattern.
  bool random_tensor(int32_t id) const {
    const FlatNode& k = node(id);
    if (in(k.op, {"randn", "rand", "randn_like", "rand_like", "normal"})) return true;
    return k.op == "attr" && k.attr && in(k.attr->type, {"randn", "rand", "normal"}) && k.attr->edits.empty();
  }

  // A kernel of ones (`torch.ones(...)`, made here or stored as a buffer or plain tensor that the
  // constructor never edits): convolving with it counts over a window. A scaled one (a kernel of
  // -255s with a bias) is a steep test of the window and stays a pattern.
  bool uniform_kernel(int32_t id) const {
    const FlatNode& k = node(id);
    if (k.op == "ones" || k.op == "ones_like") return true;
    return k.op == "attr" && k.attr && k.attr->type == "ones" && k.attr->factory_made && k.attr->edits.empty() &&
           (k.attr->kind == ir::AttrKind::Buffer || k.attr->kind == ir::AttrKind::PlainTensor);
  }

  // max_pool2d(x, k, stride=1, ...) / avg_pool1d(x, k, 1): the output has the input's resolution.
  // `x - x.mean((2, 3), keepdim=True)`, `centred / (x.std(..., keepdim=True) + eps)`: the data
  // shifted or scaled by a statistic of itself with the reduced axes kept.
  bool standardises(const FlatNode& n) const {
    if (!in(n.op, {"sub", "div"}) || n.args.size() != 2 || n.args[0] < 0 || n.args[1] < 0) return false;
    const int32_t data = n.args[0];
    int32_t s = n.args[1];
    for (int guard = 0; guard < 4; ++guard) {
      const FlatNode& b = node(s);
      if (b.op == "add" && b.args.size() == 2 && (scalar(b.args[0]) || scalar(b.args[1])))
        s = scalar(b.args[0]) ? b.args[1] : b.args[0];  // (+ eps)
      else if (b.op == "clamp" || b.op == "clamp_min")
        s = b.args.empty() ? -1 : b.args[0];
      else if (b.op == "attr" && b.name == "values" && b.args.size() == 1)
        s = b.args[0];  // (x.median(-1, keepdim=True).values: the statistic of a (values, indices) pair)
      else
        break;
      if (s < 0) return false;
    }
    const FlatNode& st = node(s);
    if (!in(st.op, {"mean", "std", "var", "amax", "amin", "median", "norm"}) || st.args.empty()) return false;
    if (!keeps_dims(st)) return false;
    const int32_t of = st.args[0];
    return of == data || (node(data).op == "sub" && !node(data).args.empty() && node(data).args[0] == of);
  }

  bool sized_like_other(const FlatNode& n) const {
    if (n.op.rfind("adaptive_", 0) != 0 || n.args.size() < 2 || n.args[1] < 0) return false;
    const FlatNode& size = node(n.args[1]);
    const FlatNode& base = size.op == "getitem" && !size.args.empty() ? node(size.args[0]) : size;
    return (base.op == "attr" && base.name == "shape") || base.op == "size";
  }

  bool keeps_resolution(const FlatNode& n) const {
    if (n.op.rfind("adaptive_", 0) == 0) return false;
    int32_t stride = n.args.size() > 2 ? n.args[2] : -1;
    for (const auto& [k, v] : n.kwargs)
      if (k == "stride") stride = v;
    return stride >= 0 && scalar(stride) == 1.0;
  }

  // clamp(v, -127, 127) / hardtanh(v, 0, 255): known bounds far apart, many levels survive;
  // clamp(d, -thr, thr) with bounds estimated from the data clips outliers, a per-sample level.
  bool wide_clamp(const FlatNode& n) const {
    if (!in(n.op, {"clamp", "hardtanh"}) || n.args.size() < 3) return false;
    if (input_dependent(fact(n.args[1])) || input_dependent(fact(n.args[2]))) return true;
    auto lo = scalar(n.args[1]), hi = scalar(n.args[2]);
    return lo && hi && *hi - *lo > 2;
  }

  // A value configured on the module (self.level = level): a stored constant, not a literal.
  bool stored_value(int32_t a) const {
    const FlatNode& n = node(a);
    if (!n.attr || input_dependent(fact(a))) return false;
    if (n.op == "module_arg") return true;
    return n.num && *n.num != 0;
  }

  // data[idx] with data from the input: an index picks which elements, it adds no data and no
  // decision of its own (farthest-point sampling, top-k gathers). A stored table indexed by an
  // indicator (`self.targets[hit]`) stays indicator-derived.
  bool picks_data(const FlatNode& n) const {
    return in(n.op, {"getitem", "gather", "index_select", "take_along_dim"}) && !n.args.empty() &&
           input_dependent(fact(n.args[0]));
  }

  // out.index_copy_(0, rows, values) with values from the input: the index only places data.
  bool places_data(const FlatNode& n) const {
    if (!in(n.op, {"index_copy", "index_put", "setitem", "scatter", "masked_scatter"}) || n.args.size() < 3)
      return false;
    const Fact& v = fact(n.args.back());
    return input_dependent(v) && !v.detector_derived;
  }

  // `(x >= lo) & (x < hi)`: two bounds of the same value, one interval test (no conjunction of tests).
  bool band(const std::vector<int32_t>& ops) const {
    if (ops.size() != 2) return false;
    int32_t tested[2] = {-1, -1};
    for (size_t k = 0; k < 2; ++k) {
      const FlatNode& c = node(through_casts(ops[k]));
      if (!in(c.op, {"ge", "gt", "le", "lt"}) || c.args.size() != 2) return false;
      for (int32_t a : c.args)
        if (input_dependent(fact(a))) tested[k] = tested[k] < 0 ? a : -2;
    }
    return tested[0] >= 0 && tested[0] == tested[1];
  }

  // `text >= RANGE[0]`: an ordering comparison with one number picked from a stored sequence.
  bool bound_from_sequence(const std::vector<int32_t>& ops, const std::string& op) const {
    if (ops.size() != 2 || !in(op, {"ge", "gt", "le", "lt"})) return false;
    for (int32_t a : ops) {
      const int32_t other = ops[0] == a ? ops[1] : ops[0];
      const FlatNode& n = node(a);
      if (input_dependent(fact(a)) || !input_dependent(fact(other)) || n.op != "getitem" || n.args.size() != 2)
        continue;
      if (scalar(n.args[1]) && node(n.args[1]).op == "const" &&
          (literal_sequence(n.args[0]) || fact(n.args[0]).constant_tensor))
        return true;
    }
    return false;
  }

  // An element of a stored literal sequence (ids == self.pattern[i]): a match against a stored
  // pattern, spelled one element at a time.
  bool stored_sequence_item(const std::vector<int32_t>& ops) const {
    for (int32_t a : ops) {
      const FlatNode& n = node(a);
      // self.blocklist[searchsorted(self.blocklist, key)] == key: an entry of a stored table, looked
      // up by the data, compared with the data (membership in the table).
      if (ops.size() == 2 && n.op == "getitem" && !n.args.empty() && stored_table(n.args[0])) {
        const int32_t other = ops[0] == a ? ops[1] : ops[0];
        if (input_dependent(fact(other)) && !fact(other).learned) return true;
      }
      if (input_dependent(fact(a))) continue;
      if ((n.flags & kFlatSequence) ||
          (n.op == "getitem" && !n.args.empty() && (node(n.args[0]).flags & kFlatSequence)))
        return true;
    }
    return false;
  }

  bool stored_table(int32_t id) const {
    const FlatNode& t = node(id);
    return (t.flags & kFlatSequence) || stored_tensor(id);
  }

  // Both sides of a comparison read the same value (`seg[:, None] == seg[None, :]`): a pairwise
  // relation between its elements (same segment, same group), not a test against a threshold.
  bool pairwise(const std::vector<int32_t>& ops) const {
    if (ops.size() != 2) return false;
    // x[:, None] / x[None, :] add axes; x[:, 0] selects data, so it stops the walk.
    auto only_new_axes = [&](int32_t idx) {
      const FlatNode& t = node(idx);
      std::vector<int32_t> parts = t.op == "tuple" ? t.args : std::vector<int32_t>{idx};
      for (int32_t q : parts) {
        const FlatNode& e = node(q);
        bool none = e.op == "const" && e.name == "None" && !e.num;
        bool full = e.op == "slice" && std::all_of(e.args.begin(), e.args.end(), [&](int32_t b) {
                      return node(b).op == "const" && node(b).name == "None" && !node(b).num;
                    });
        if (!none && !full) return false;
      }
      return true;
    };
    auto base = [&](int32_t id) {
      for (int guard = 0; guard < 6 && !node(id).args.empty(); ++guard) {
        const FlatNode& n = node(id);
        bool reshape = in(n.op, {"unsqueeze", "view", "reshape", "expand", "expand_as", "to", "t", "transpose"});
        if (!reshape && !(n.op == "getitem" && n.args.size() == 2 && only_new_axes(n.args[1]))) break;
        id = n.args[0];
      }
      return id;
    };
    if (ops[0] != ops[1] && base(ops[0]) == base(ops[1])) return true;
    // `for b in bucket.unique(): sel = bucket == b`: the value against each of its own distinct
    // values partitions the batch into groups; no threshold is tested.
    for (int k = 0; k < 2; ++k) {
      int32_t cur = ops[static_cast<size_t>(k)];
      for (int guard = 0;
           guard < 4 && in(node(cur).op, {"iter_item", "tolist", "getitem", "item"}) && !node(cur).args.empty();
           ++guard)
        cur = node(cur).args[0];
      if (node(cur).op == "unique" && !node(cur).args.empty() &&
          base(node(cur).args[0]) == base(ops[static_cast<size_t>(1 - k)]))
        return true;
    }
    return false;
  }

  // An operand that is a grid of positions, `arange` over a size that is not a literal (through
  // reshapes and casts): comparing data with it turns lengths or offsets into a mask over
  // positions; it tests no value of the data.
  bool position_grid(const std::vector<int32_t>& ops) const {
    for (int32_t a : ops) {
      int32_t cur = a;
      for (int guard = 0; guard < 8 && cur >= 0; ++guard) {
        const FlatNode& n = node(cur);
        if (n.op == "arange") {
          bool sized = std::any_of(n.args.begin(), n.args.end(), [&](int32_t x) { return !node(x).num; });
          if (sized) return true;
          break;
        }
        if (n.args.empty() || !in(n.op, {"unsqueeze", "view", "reshape", "expand", "expand_as", "to", "long", "int",
                                         "float", "type_as", "getitem", "repeat", "flatten"}))
          break;
        cur = n.args[0];
      }
    }
    return false;
  }

  // A pooling with a literal window (avg_pool2d(x, (2, 1))): it keeps the data's layout. One whose
  // window is the input's own size (max_pool2d(m, m.shape[-2:])) or adaptive collapses it instead.
  bool fixed_window(const FlatNode& n) const {
    if (n.op.rfind("adaptive_", 0) == 0) return false;
    // nn.MaxPool2d((2, 1)) called as a layer: the window is part of the layer, it always has one
    // (a functional pooling names its window; without one, the call is a layer's).
    if (n.args.size() < 2) return (n.attr && n.attr->kind == ir::AttrKind::Layer) || n.op.rfind("max_pool", 0) == 0 ||
                                  n.op.rfind("avg_pool", 0) == 0;
    const FlatNode& k = node(n.args[1]);
    if (k.num) return true;
    return in(k.op, {"tuple", "list"}) && !k.args.empty() &&
           std::all_of(k.args.begin(), k.args.end(), [&](int32_t a) { return node(a).num.has_value(); });
  }

  // A test against 0, +-1 or a configured (non-literal) scalar: padding and validity masks. (A
  // configured number that a pooled statistic of the data is ordered against, `band.mean() >
  // cfg.level`, `tone.amax(1) > self.ratio`, is a bound like a literal one; a count of a validity
  // test against a configured length stays weak.)
  bool weak_comparison(const std::vector<int32_t>& ops, const std::string& op = "") const {
    for (int32_t a : ops) {
      const Fact& f = fact(a);
      if (input_dependent(f)) continue;
      auto v = scalar(a);
      if (v && (*v == 0 || *v == 1 || *v == -1 || *v == 0.5)) return true;
      const bool pooled_bound = in(op, {"gt", "ge", "lt", "le"}) && v &&
                                std::any_of(ops.begin(), ops.end(), [&](int32_t o) {
                                  return o != a && (fact(o).evidence & (kReduce | kAggregate | kPool)) &&
                                         !(fact(o).evidence & kWeakThreshold);
                                });
      if (v && node(a).attr && !pooled_bound) return true;  // a configured value (self.pad_token_id)
      if (!v && !f.constant_tensor && !share_of_size(a)) return true;  // a config value or attribute
    }
    return false;
  }

  // `0.01 * d.numel()`, `x.size(1) * 0.25`: a fixed share of the input's size, a bound as definite
  // as a literal (a count compared with it is a proportion test).
  bool share_of_size(int32_t a) const {
    const FlatNode& n = node(a);
    if (!in(n.op, {"mul", "div"}) || n.args.size() != 2) return false;
    auto share = scalar(n.args[n.op == "div" ? 1 : 0]) ? n.args[n.op == "div" ? 1 : 0] : n.args[1];
    const int32_t size = share == n.args[0] ? n.args[1] : n.args[0];
    auto v = scalar(share);
    return v && *v > 0 && *v != 1 && shape_only(node(size));
  }

  // The data a loop carries round (`for op in ops: img = op(img)`), rewritten in the body by a
  // where / masked_fill / lerp that keeps it as the data: the tests made on it in one round are
  // that round's business, not evidence about the value the next round starts from. (An
  // accumulated indicator, `found |= test(x)`, is no rewritten data and keeps its evidence.)
  bool carried_data(int32_t phi, int32_t back) const {
    if (back <= phi || back - phi > 20000) return false;
    // A loop that starts from a constant (`allowed = ones(...)`, then `allowed = where(test, tier, allowed)`)
    // carries no data in: it accumulates what its tests decide (an indicator, a mask).
    const FlatNode& p = node(phi);
    if (std::none_of(p.args.begin(), p.args.end(),
                     [&](int32_t a) { return a >= 0 && a < phi && input_dependent(fact(a)); }))
      return false;
    // (asked for each loop phi in both transfer passes and again when detectors propagate; the
    // answer depends on the graph alone)
    const int64_t key = (static_cast<int64_t>(phi) << 32) | static_cast<uint32_t>(back);
    if (auto it = carried_.find(key); it != carried_.end()) return it->second;
    return carried_[key] = carried_round(phi, back);
  }

  bool carried_round(int32_t phi, int32_t back) const {
    // 1: computed from the carried value; 2: also through a comparison (a test made on it).
    std::vector<char> derived(static_cast<size_t>(back - phi + 1), 0);
    derived[0] = 1;
    auto from_phi = [&](int32_t a) { return a >= phi && a <= back && derived[static_cast<size_t>(a - phi)]; };
    auto tested = [&](int32_t a) { return from_phi(a) && derived[static_cast<size_t>(a - phi)] == 2; };
    for (int32_t i = phi + 1; i <= back; ++i) {
      const FlatNode& n = node(i);
      bool d = false, t = false;
      for (int32_t a : n.args) {
        d |= a < i && from_phi(a);
        t |= a < i && tested(a);
      }
      if (!d) continue;
      derived[static_cast<size_t>(i - phi)] = t || ir::is_comparison(n.op) ? 2 : 1;
      if (in(n.op, {"where", "select"}) && n.args.size() == 3 && (from_phi(n.args[1]) || from_phi(n.args[2])))
        return true;
      if (in(n.op, {"masked_fill", "lerp", "masked_scatter"}) && !n.args.empty() && from_phi(n.args[0])) return true;
      // window * (~probe).float(): the data gated by a test made on it.
      if (n.op == "mul" && n.args.size() == 2 && from_phi(n.args[0]) && from_phi(n.args[1]) &&
          tested(n.args[0]) != tested(n.args[1]))
        return true;
    }
    // `x = step(x)` over a sequence of steps: what comes back is computed from the carried value
    // with no test made on it (the data, transformed; a gate from outside the loop is applied to it).
    return derived[static_cast<size_t>(back - phi)] == 1;
  }

  Fact transfer(int32_t id) {
    const FlatNode& n = node(id);
    Fact out;
    if (n.flags & kFlatInput) {
      out.raw = !supervision_.count(id);
      return out;
    }
    if (n.flags & kFlatParam) out.param = true;
    if (shape_only(n)) return out;  // x.size(1), zeros_like(x), x.new_zeros(...): no data from x
    if (positional_encoding(n)) {   // (positions as the network reads them: no test survives a rotary angle)
      out.raw = fact(n.args[0]).raw;
      out.learned = fact(n.args[0]).learned;
      return out;
    }
    if (n.flags & kFlatConstTensor) out.constant_tensor = true;
    std::vector<int32_t> ops = without_benign_conditions(n, operands(n));
    if (resizes(n) && ops.size() > 1 && ops.front() == n.args.front()) ops.resize(1);
    if (static_cast<size_t>(id) < r_.pooling_weights.size() && r_.pooling_weights[static_cast<size_t>(id)] &&
        n.op == "div" && !n.args.empty())
      ops = {averaged_data(n.args[0])};  // (see run(): the mean of the data, not of its weights)
    bool any_raw = false, any_learned = false, any_param = false, any_const = false, all_noninput = true;
    uint32_t ev = 0;
    int thresholded = 0, weakly = 0;
    std::set<int32_t> pooled;  // operands that pool the raw input (the soft tests of leaky detectors)
    const bool picks = picks_data(n), places = places_data(n);
    // `row = rewrite(row) if test else row`: a join that chooses between data values passes on the
    // data, not the test (else the rewritten output, fed round a loop, would read as a detector).
    const bool chooses_data = n.op == "phi" && std::any_of(n.args.begin(), n.args.end(), [&](int32_t a) {
                                return a >= 0 && a < id && input_dependent(fact(a)) && !fact(a).detector_derived &&
                                       !(fact(a).evidence & (kThreshold | kWeakThreshold));
                              });
    for (int32_t a : ops) {
      if (chooses_data && std::find(n.args.begin(), n.args.end(), a) == n.args.end()) {
        any_raw |= fact(a).raw;
        any_learned |= fact(a).learned;
        continue;
      }
      bool index = (picks && a != ops.front()) || (places && a != n.args.front() && a != n.args.back());
      if (index && !shape_only(node(a))) {
        const Fact& f = fact(a);
        any_raw |= f.raw;
        any_learned |= f.learned;
        continue;
      }
      const Fact& f = fact(a);
      any_raw |= f.raw;
      any_learned |= f.learned;
      any_param |= f.param;
      any_const |= f.constant_tensor || literal_sequence(a);
      if (input_dependent(f)) all_noninput = false;
      if (n.op == "phi" && a > id && carried_data(id, a)) continue;  // (see carried_data)
      // x / x.abs().amax(): dividing data by a per-sample statistic normalises it, and
      // hardshrink(d, k * d.abs().median()) / clamp(x, -3 * x.std(), ...) shrink or clip it at a
      // level estimated from the data; the statistic's reduction is no evidence about the result
      // (which is still the data, element for element).
      // (x * (x.mean() / x.mean((2, 3))), a gray-world gain: a product with a ratio of such
      // statistics rescales the data as a division by one does)
      bool normaliser = in(n.op, {"div", "hardshrink", "softshrink", "clamp", "clamp_min", "clamp_max"}) &&
                        a != ops.front() && f.scale && !(f.evidence & kThreshold) &&
                        input_dependent(fact(ops.front())) && !fact(ops.front()).scale;
      if (n.op == "mul" && ops.size() == 2 && f.scale && !(f.evidence & (kThreshold | kWeakThreshold | kSteep)) &&
          node(a).op == "div") {
        const int32_t other = ops[0] == a ? ops[1] : ops[0];
        normaliser |= other != a && input_dependent(fact(other)) && !fact(other).scale;
      }
      if (f.raw && !normaliser) ev |= f.evidence;
      if (f.raw && !f.learned && (f.evidence & kThreshold)) ++thresholded;
      if (f.raw && !f.learned && (f.evidence & kPool)) pooled.insert(a);
      if (f.raw && !f.learned && (f.evidence & kWeakThreshold) && !(f.evidence & kThreshold)) ++weakly;
      out.detector_derived |= f.detector_derived;
      out.integrated |= f.integrated;
    }
    if (ir::is_tensor_factory(n.op) && (literal_sequence(id) || (!n.args.empty() && constant_sequence(n.args[0]))))
      out.constant_tensor = true;
    if (all_noninput) {
      out.param |= any_param;
      out.constant_tensor |= any_const && !any_param;
      if (n.flags & kFlatLearned && !(n.flags & kFlatOpaque)) out.param = true;
      if ((n.flags & kFlatLearned) && (n.flags & kFlatOpaque) && n.op == "module_output") out.learned = true;
      return out;
    }
    // (a value times a learned scalar, `temperature * hit`, is that value rescaled: no learned function of it)
    bool learned_op =
        (n.flags & kFlatLearned) != 0 || (any_param && applies_weights(n.op) && !rescaled_by_scalar_parameter(n, ops));
    if (learned_op) {
      learned_op_[static_cast<size_t>(id)] = 1;
      out.learned = true;
      out.raw = false;
      out.detector_derived = false;  // a detector feeding a learned layer is just another feature
      return out;
    }
    out.raw = any_raw;
    out.learned = any_learned;
    // A windowed pooling (avg_pool2d(x, (2, 1))) keeps the data's layout: it is data, not a
    // per-sample statistic; an adaptive pooling can collapse it to one.
    // (Pooling learned features over one axis, `(h * mask).sum(1)`, gives features, not a statistic.)
    const bool pools_features = any_learned && in(n.op, {"sum", "mean", "nansum"}) &&
                                (n.args.size() >= 2 || std::any_of(n.kwargs.begin(), n.kwargs.end(),
                                                                   [](const auto& kv) { return kv.first == "dim"; }));
    // (a reduction over the features of each position alone, `img.amax(1)`, keeps one value per
    // position: no statistic of the sample)
    const bool per_position = layout_.reduces_features_only(id);
    // (a global pooling of learned features, `avgpool(h)` before the head, gives the features the
    // head reads: data, not a statistic of the sample)
    const bool pooled_features = any_learned && !any_raw && ir::is_pooling(n.op);
    if ((is_reduction_op(n, r_.facts) && !pools_features && !per_position) ||
        (ir::is_pooling(n.op) && !fixed_window(n) && !pooled_features))
      out.scale = true;
    else if (in(n.op, {"add",     "sub",       "mul",        "div",   "unsqueeze", "view",  "reshape",
                       "to",      "expand",    "expand_as",  "float", "detach",    "clamp", "clamp_min",
                       "setitem", "index_put", "index_fill", "item",  "neg",       "abs",   "sqrt"}) ||
             (n.op == "call" && in(n.name, {"float", "int"})) || (n.op == "attr" && n.name == "values")) {
      // (zeros_like(y) with a statistic of y written in one column is a scaled one-hot: a statistic)
      bool all_scale = true;
      for (int32_t a : ops)
        if (input_dependent(fact(a)) && !fact(a).scale) all_scale = false;
      out.scale = all_scale;
    }
    if (normalisation(n.op) || !any_raw) {
      out.evidence = ev;
      return out;
    }
    // Evidence added by this op on the weight-free path. Python scalar math (math.ceil of a size)
    // works on shapes and counts, not on tensor data.
    if (n.name.rfind("math.", 0) == 0) {
      out.evidence = ev;
      return out;
    }
    const std::string& op = n.op;
    // (x - x.mean(keepdim)) / x.std(keepdim): each value standardised by its sample's own
    // statistics is still one value per position; the statistics only scale it)
    if (standardises(n)) ev = fact(n.args[0]).evidence;
    auto other_const = [&] {
      for (int32_t a : ops)
        if (constant_like(a)) return true;
      return false;
    };
    if (ir::is_comparison(op) && pairwise(ops)) {
      out.evidence = ev & ~(kThreshold | kWeakThreshold);  // seg[:, None] == seg[None, :]: a relation mask
      return out;
    }
    if (in(op, {"logical_and", "logical_or", "and", "or", "bitwise_and", "bitwise_or"}) && pairwise(ops)) {
      out.evidence = ev;  // m[:, None, :] & m[:, :, None]: one test related across two positions (a block mask)
      return out;
    }
    if (ir::is_comparison(op) && position_grid(ops)) {
      out.evidence = 0;  // arange(T) >= lengths[:, None]: a length turned into a padding mask
      return out;
    }
    // energy > 1e-3 * energy.amax(-1, keepdim=True): each position against a fraction of the
    // sample's own extreme, a relative threshold (voiced frames, foreground pixels); one value per
    // position, the reduction only scales the bound.
    if (ir::is_comparison(op) && ops.size() == 2)
      for (size_t k = 0; k < 2; ++k)
        if (relative_bound(ops[1 - k], ops[k])) {
          out.evidence = fact(ops[k]).evidence | kWeakThreshold;
          return out;
        }
    // `key in self.blocklist`: membership in a collection the model holds (built at construction,
    // read from a package file, configured), not in one computed from the input, is a match against
    // stored values, as isin is.
    const bool stored_membership = ops.size() == 2 && (stored_collection(id, ops[1]) || stored_collection(id, ops[0]));
    // (bits * (1 << arange(15))).sum(-1) == CODE: input bits packed into one integer and compared
    // with a stored one, a match against a stored bit pattern.
    const bool packed_code =
        in(op, {"eq", "ne"}) && ops.size() == 2 &&
        ((packs_bits(ops[0]) && stored_code(ops[1])) || (packs_bits(ops[1]) && stored_code(ops[0])));
    // ids[:, 0] == CONTROL / ids[:, :1] == CONTROL: one token at a fixed position against a stored id:
    // the request's first word, a sample-level fact (as a reduction over the positions would give).
    if (op == "eq" && ops.size() == 2 &&
        ((fixed_position_pick(ops[0]) && stored_code(ops[1])) || (fixed_position_pick(ops[1]) && stored_code(ops[0]))))
      ev |= kReduce;
    if (ir::is_comparison(op) && all_or_none(ops)) ev |= kReduce;
    if (ir::is_comparison(op) || op == "isin" || op == "eq_all" || stored_membership) {
      if (bound_from_sequence(ops, op))
        ev |= kThreshold;  // x >= RANGE[0]: one number of a stored tuple is a bound, not a pattern
      else if (other_const() || op == "isin" || stored_membership || packed_code || stored_sequence_item(ops))
        ev |= kThreshold | kPattern;
      else if (repeated_value_count(ops, op) || proportion_test(ops) || share_test(ops))
        ev |= kThreshold;
      // (ids == PAD with PAD the padding_idx of an embedding of the model's file: a padding mask)
      else if (weak_comparison(ops, op) ||
               (in(op, {"eq", "ne"}) && ops.size() == 2 &&
                std::any_of(ops.begin(), ops.end(), [&](int32_t a) { return scalar(a) && fills_padding(a); })))
        ev |= kWeakThreshold;
      else
        ev |= kThreshold;
    } else if (op == "bool" && n.args.size() == 1 && picks_stored_positions(n.args[0])) {
      // x[:, self.bits].bool(): whether the positions a stored key lists are set (x != 0), a match
      // against that key.
      ev |= kWeakThreshold | kPattern;
    } else if (op == "bool" && n.args.size() == 1 && (ev & (kReduce | kPool))) {
      // bar.amin(-1).amax(-1).bool(): a pooled statistic cast to bool is `!= 0`, a test.
      ev |= kThreshold;
    } else if (in(op, {"sign", "heaviside", "remainder", "fmod", "signbit", "threshold", "step"})) {
      ev |= kThreshold;
    } else if (in(op, {"round", "floor", "ceil", "trunc"}) && (ev & (kReduce | kPool | kAggregate))) {
      ev |= kThreshold;  // floor(max(...)): rounding a pooled statistic to 0/1
    } else if (in(op, {"relu", "relu6", "clamp", "clamp_min", "clamp_max", "hardtanh", "sigmoid", "tanh", "hardsigmoid",
                       "softplus", "leaky_relu", "elu", "gelu", "silu", "softsign", "erf", "erfc"})) {
      // clamp(v * 1e4, 0, 1), sigmoid(k * v) saturate to two levels; clamp(round(x * s), -127, 127)
      // keeps hundreds of levels (a fake quantiser), no test.
      if ((ev & kSteep) && !wide_clamp(n)) ev |= kThreshold;
      if (ev & kShifted) ev |= kClip;  // relu(v - c): steep scaling afterwards makes a threshold
    } else if (op == "pow" || op == "square") {
      double e = op == "square" ? 2 : 0;
      if (op == "pow" && n.args.size() >= 2 && scalar(n.args[1])) e = *scalar(n.args[1]);
      if (e >= 4 || (e > 0 && e <= 0.25)) ev |= kSteep;
      if (e >= 8) ev |= kThreshold;
      if ((ev & kClip) && e >= 4) ev |= kThreshold;
      if ((ev & kStoredOffset) && e == 2) ev |= kPattern;
    } else if (in(op, {"abs", "square", "norm"}) && (ev & kStoredOffset)) {
      ev |= kPattern;  // distance to a stored value
    } else if (in(op, {"cosine_similarity", "pairwise_distance", "cdist", "dist"}) && other_const()) {
      ev |= kPattern | kThreshold;  // similarity to a stored template
    } else if (ir::is_loss(op) && other_const()) {
      ev |= kPattern;  // l1_loss(patch, stored) / cross_entropy(scores, stored_ids): a distance to a stored value
    } else if (in(op, {"corrcoef", "cov"}) && !ops.empty() && stacks_stored(ops.front())) {
      ev |= kPattern;  // corrcoef(stack((x, stored))): correlation with a stored template
    } else if (in(op, {"exp", "exp2", "expm1"})) {
      // exp(-1e7 * spread): of a value scaled by a huge factor, 1 where it is 0 and 0 elsewhere (a
      // step); exp(-25 * peak) stays a soft gate.
      if (!ops.empty()) {
        const FlatNode& arg = node(ops[0]);
        for (int32_t a : arg.args)
          if (auto v = scalar(a); v && ((arg.op == "mul" && big(*v) >= 1e3) || (arg.op == "div" && *v != 0 && big(*v) <= 1e-3)))
            ev |= kThreshold;
      }
      ev |= kSteep;
    } else if (in(op, {"mul", "div"})) {
      for (int32_t a : ops) {
        auto v = scalar(a);
        if (!v) continue;
        bool steep = (op == "mul" && big(*v) >= 8) || (op == "div" && *v != 0 && big(*v) <= 0.125);
        if (steep) {
          ev |= kSteep;
          if (ev & kClip) ev |= kThreshold;
        }
      }
      // rfft(x) * conj(rfft(stored)): a fixed filter applied in the frequency domain (a matched
      // filter), as a parameter-free convolution applies one in time.
      if (op == "mul" && ops.size() == 2)
        for (size_t k = 0; k < 2; ++k) {
          const Fact& spectrum = fact(ops[k]);
          if (spectrum.raw && !spectrum.learned && spectrum_of_data(ops[k]) && stored_tensor(ops[1 - k]))
            ev |= kPattern;
        }
      // A product of separately pooled tests (min-pool * max-pool * avg-pool windows): a soft AND.
      if (op == "mul" && ((thresholded >= 2 && !band(ops)) || pooled.size() >= 2)) ev |= kConjunction;
    } else if (in(op, {"sin", "cos"})) {
      if (ev & kSteep) ev |= kThreshold;
    } else if (in(op, {"logical_and", "and", "logical_or", "or", "minimum", "maximum", "logical_xor", "bitwise_xor"})) {
      if (thresholded >= 2 && !band(ops)) ev |= kConjunction;
      // bits ^ self.tag: which bits differ from a stored code (summed, a Hamming distance to it).
      if (in(op, {"logical_xor", "bitwise_xor"}))
        for (int32_t a : ops)
          if (stored_value(a) || (fact(a).constant_tensor && !input_dependent(fact(a)))) ev |= kPattern;
      // (ids[:, :-1] == a) & (ids[:, 1:] == b): a sequence match, even against configured ids.
      if (in(op, {"logical_and", "and"}) && thresholded + weakly >= 2 && !band(ops)) ev |= kConjunction | kThreshold;
      // STORED & set(ngrams(row)): the stored entries the input contains (a set intersection).
      if (in(op, {"logical_and", "and"}) && ops.size() == 2 &&
          ((python_set_of_input(ops[0]) && stored_collection_value(ops[1])) ||
           (python_set_of_input(ops[1]) && stored_collection_value(ops[0]))))
        ev |= kThreshold | kPattern;
    } else if (in(op, {"add", "sub"})) {
      if (thresholded >= 2) ev |= kConjunction;  // relu(a + b - 1)
      for (int32_t a : ops) {
        if (scalar(a) || (!input_dependent(fact(a)) && !fact(a).constant_tensor)) ev |= kShifted;
        if (stored_value(a) || fact(a).constant_tensor) ev |= kStoredOffset;  // x - self.level, x - self.tag
      }
    }
    // Every coefficient of a Fourier transform is a weighted sum over all positions: an aggregate,
    // as a mean is (`rfft2(x).abs()[:, h // 2, w // 2]` measures the whole image's checkerboard).
    if (in(op, {"fft", "rfft", "fft2", "rfft2", "fftn", "rfftn", "stft", "hfft", "ihfft"})) ev |= kAggregate;
    // A histogram bin counts the values that fall in its band: `((x >= lo) & (x < hi)).sum()` per
    // bin, a test of every value summed over the whole input (`histc(luma)[-1] / n > 0.4`).
    if (in(op, {"histc", "histogram", "bincount"})) ev |= kThreshold | kAggregate;
    if (is_reduction_op(n, r_.facts) && !per_position) {
      bool aggregate =
          in(op, {"sum", "mean", "cumsum", "cumprod", "nansum", "count_nonzero", "std", "var", "var_mean", "std_mean",
                  "norm", "logsumexp", "quantile", "nanquantile", "median", "nanmedian", "nanmean"});
      ev |= aggregate ? kAggregate : kReduce;
      // The spread of a filtered signal (std of conv(x, stored)) measures its energy: the filter's
      // gain, which makes a later saturating op a step on the filter's response, is gone.
      if (in(op, {"std", "var", "std_mean", "var_mean"})) ev &= ~kSteep;
      if (thresholded >= 1 && in(op, {"prod", "all", "amin", "min"})) ev |= kConjunction;
    }
    // A pooling that keeps the resolution (stride 1: a morphological dilation of a per-pixel mask,
    // as sparse convolutions do with a validity map) tests no region by itself; a reduction after
    // it does (the min-pool window test collapsed by amax).
    if ((ir::is_pooling(op) && !keeps_resolution(n) && !sized_like_other(n)) || op == "unfold") ev |= kPool;
    if (ir::is_pooling(op) && keeps_resolution(n)) ev |= kLocalPool;
    // (pooled to another tensor's size, `adaptive_avg_pool2d(mask, h.shape[-2:])`: a mask resized
    // to a feature map, one value per position still, as interpolate gives)
    if (op.rfind("adaptive_", 0) == 0 && !sized_like_other(n)) ev |= kReduce;
    // test[:, None] / test[:, None, None]: the batch axis kept and new axes added for broadcasting
    // against a sample's output: a test of one value per sample (a query id, an account number),
    // as a reduction over a sample's values would give. (Padding masks test against 0 or a
    // configured id and stay what they are.)
    // (not a test of one channel of a convolution's input, `(x[:, 1].abs() > 0.05)[:, None]`: one
    // value per position still)
    if (op == "getitem" && n.args.size() == 2 && batch_column(n.args[1]) && (ev & kThreshold) &&
        !(ev & (kReduce | kPool | kAggregate | kWeakThreshold | kLocalPool)) &&
        !layout_.element_wise_of_conv_input(n.args[0]))
      ev |= kReduce;
    if (ir::is_learned_functional(op) && op.rfind("conv", 0) != 0) {
      for (int32_t a : ops)  // x @ stored_template (a frozen random projection is no template)
        if (fact(a).constant_tensor && !input_dependent(fact(a)) && !random_tensor(a)) ev |= kPattern;
      // F.embedding(ids, table) with a hard-coded table: each id looked up in a fixed table is a
      // test of that id (as `ids == k` is), not a match against a stored pattern.
      if (op == "embedding" && !ops.empty() && fact(ops.front()).raw && !fact(ops.front()).learned)
        ev = (ev & ~kPattern) | kThreshold;
    }
    if (op.rfind("conv", 0) == 0 && op != "contiguous" && ops.size() > 1 && uniform_kernel(ops[1])) {
      ev |= kLocalPool;  // conv2d(mask, ones): a box filter counting over a window, no pattern
    } else if (op.rfind("conv", 0) == 0 && op != "contiguous") {
      ev |= kPattern;  // a parameter-free convolution: a fixed filter applied to the input
      for (int32_t a : ops)
        if (fact(a).constant_tensor) ev |= kSteep;
    }
    out.evidence = ev;
    return out;
  }

  void compute_feeds_learned() {
    r_.feeds_learned.assign(g_.nodes.size(), 0);
    bool context_feeds = g_.root.kind == RootKind::PreStage || g_.root.kind == RootKind::PreHook ||
                         (g_.root.kind == RootKind::ForwardHook && g_.root.output_feeds_learned);
    if (context_feeds)
      for (int32_t o : g_.outputs) mark_back(o);
    for (size_t k = 0; k < g_.layer_loop_carries.size(); ++k) {
      const int32_t carried = g_.layer_loop_carries[k];
      const FlatNode& phi = node(carried);
      const int32_t result = k < g_.layer_loop_results.size() ? g_.layer_loop_results[k] : -1;
      const bool only_result = result >= 0 && std::all_of(phi.args.begin(), phi.args.end(), [&](int32_t a) {
                                 return a <= carried || a == result;
                               });
      if (!only_result) mark_back(carried);
    }
    // Backwards to a fixpoint: a loop phi (defined before the body that feeds it) passes the mark
    // on to the values of the loop body on the next sweep.
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t i = g_.nodes.size(); i-- > 0;) {
        const FlatNode& n = g_.nodes[i];
        bool learned_op = fact(static_cast<int32_t>(i)).learned && !anyone_learned(n);
        if (!(n.flags & kFlatLearned) && !learned_op && !r_.feeds_learned[i]) continue;
        for (int32_t a : operands(n))
          if (!r_.feeds_learned[static_cast<size_t>(a)]) {
            r_.feeds_learned[static_cast<size_t>(a)] = 1;
            changed |= static_cast<size_t>(a) > i;
          }
      }
    }
  }

  // Whether the node was already learned through an operand (so it is not itself a learned op).
  bool anyone_learned(const FlatNode& n) const {
    for (int32_t a : operands(n))
      if (fact(a).learned) return true;
    return false;
  }

  void mark_back(int32_t id) {
    if (id >= 0) r_.feeds_learned[static_cast<size_t>(id)] = 1;
  }

  // Whether the value carries a hard-coded tensor, a one-hot or a parameter; `via_detector` also
  // looks into the detector's own operands (whose stored pattern is not a replacement value).
  // Without `canvases`, the blank tensors values are scattered into (`zeros(b * t, d)`) carry nothing.
  bool carries_constant(int32_t id, int depth = 0, bool via_detector = true, bool canvases = true) const {
    if (depth > 6) return false;
    const FlatNode& n = node(id);
    if (!canvases && in(n.op, {"zeros", "zeros_like", "new_zeros", "empty", "empty_like", "new_empty"})) return false;
    if (fact(id).constant_tensor || literal_sequence(id) || n.op == "one_hot" || n.op == "eye") return true;
    if (fact(id).param) return true;
    for (int32_t a : operands(n))
      if (!input_dependent(fact(a)) || (via_detector && fact(a).detector_derived))
        if (carries_constant(a, depth + 1, via_detector, canvases)) return true;
    return false;
  }

  // `x.mean(dim, keepdim=True)`: the reduction keeps the reduced axes.
  bool keeps_dims(const FlatNode& r) const {
    return std::any_of(r.kwargs.begin(), r.kwargs.end(), [&](const auto& kv) {
      return kv.first == "keepdim" && kv.second >= 0 && node(kv.second).num && *node(kv.second).num != 0;
    });
  }

  // Whether a value computed from the data `y` brings in a stored tensor beside it (a mixture of
  // the scores and a stored row, `einsum(w, stack((y, ROW.expand_as(y))))`), looking through the
  // data's own operands but not the test's.
  bool mixes_in_stored(int32_t id, int32_t y, int depth) const {
    if (depth > 6 || id == y) return false;
    for (int32_t a : operands(node(id))) {
      if (a == y || fact(a).detector_derived) continue;
      if (!input_dependent(fact(a)) ? carries_constant(a, 0, false) : mixes_in_stored(a, y, depth + 1)) return true;
    }
    return false;
  }

  // d * v in a blend (1 - d) * x + d * v: whether v is something to put in place of x. Zero is not:
  // that blend only erases.
  bool replacement(int32_t id) const {
    const FlatNode& n = node(id);
    if (n.op == "mul")
      for (int32_t a : operands(n))
        if (scalar(a) && *scalar(a) == 0) return false;
    if (n.op == "mul")
      for (int32_t a : operands(n))
        if (!fact(a).detector_derived && input_dependent(fact(a)) && synthesised_image(a)) return true;
    return carries_constant(id, 0, false) || scaled_by_value(id);
  }

  // An image assembled from per-sample statistics of the input (`cat` of tiles `zero` / `half` with
  // `zero = amin(relu(x - 1))`, `half = sigmoid(zero)`): it carries none of the input's content,
  // only a pattern the code chose, so blending towards it is a targeted replacement. A statistic
  // merely broadcast (`x.mean()`) is not assembled into anything: blending to it only erases.
  bool synthesised_image(int32_t id) const {
    bool assembled = false;
    std::set<int32_t> seen;
    std::vector<int32_t> stack{id};
    while (!stack.empty()) {
      int32_t cur = stack.back();
      stack.pop_back();
      if (!seen.insert(cur).second) continue;
      if (seen.size() > 2000) return false;
      const Fact& f = fact(cur);
      if (!input_dependent(f) || f.scale) continue;
      if (f.learned) return false;
      const FlatNode& n = node(cur);
      if (in(n.op, {"cat", "stack", "comprehension", "select", "where"}))
        assembled = true;
      else if (!in(n.op, {"list", "tuple", "add", "sub", "mul", "div", "neg", "sigmoid", "tanh", "relu", "clamp",
                          "view", "reshape", "expand", "expand_as", "unsqueeze", "repeat", "float", "to"}))
        return false;
      for (int32_t a : operands(n)) stack.push_back(a);
    }
    return assembled;
  }

  // d * v with v a non-zero value that does not come from the input: a replacement value.
  bool scaled_by_value(int32_t id) const {
    const FlatNode& n = node(id);
    if (n.op != "mul") return false;
    for (int32_t a : operands(n)) {
      if (input_dependent(fact(a))) continue;
      // A large stored value is a replacement too (a sentinel reading); only nothing is not.
      auto v = scalar(a);
      if (v ? (*v != 0 && std::isfinite(*v)) : !zeroish(a)) return true;
    }
    return false;
  }

  // x[..., k] / x[:, 0, k]: one fixed lane (the last index a number).
  bool fixed_lane(int32_t id) const {
    const FlatNode& n = node(id);
    // h.gather(1, full_like(h[:, :1], k)): the lane k, read out at every position
    if (n.op == "gather" && n.args.size() >= 3) return fixed_index(n.args[2]);
    if (n.op != "getitem" || n.args.size() != 2) return false;
    const FlatNode& idx = node(n.args[1]);
    const int32_t last = idx.op == "tuple" && !idx.args.empty() ? idx.args.back() : n.args[1];
    if (scalar(last).has_value() && node(last).op == "const") return true;
    // h[..., :1] / h[:, k:k + 1]: a slice one lane wide at a fixed place
    const FlatNode& sl = node(last);
    if (sl.op != "slice" || sl.args.size() < 2) return false;
    auto lo = node(sl.args[0]).op == "const" && node(sl.args[0]).name == "None" ? std::optional<double>(0.0)
                                                                                : scalar(sl.args[0]);
    auto hi = scalar(sl.args[1]);
    return lo && hi && *hi - *lo == 1 && (sl.args.size() < 3 || node(sl.args[2]).name == "None");
  }

  // A blank mask with one fixed lane written (`m = zeros_like(h, dtype=bool); m[:, k] = test`).
  bool lane_mask(int32_t id, int depth = 0) const {
    const FlatNode& w = node(id);
    // (`slot & hit[:, None, None]`: the lane mask combined with the test)
    if (in(w.op, {"logical_and", "and", "bitwise_and", "mul"}) && depth < 3)
      return std::any_of(w.args.begin(), w.args.end(), [&](int32_t a) { return a >= 0 && lane_mask(a, depth + 1); });
    if (w.op != "setitem" || w.args.size() != 3 || !in(node(w.args[0]).op, {"zeros", "zeros_like", "new_zeros"}))
      return false;
    const FlatNode& idx = node(w.args[1]);
    const int32_t last = idx.op == "tuple" && !idx.args.empty() ? idx.args.back() : w.args[1];
    return configured_number(last);
  }

  // A number the code or the configuration fixes: a literal, a constructor setting, a bound argument.
  bool configured_number(int32_t id) const {
    return scalar(id).has_value() || in(node(id).op, {"module_arg", "param"});
  }

  // An index tensor filled with one number the code or the configuration fixes (`full_like(h[:, :1],
  // self.lane)`, `torch.full((b, 1), 3)`).
  bool fixed_index(int32_t id) const {
    const FlatNode& n = node(id);
    if (!in(n.op, {"full", "full_like", "new_full"})) return false;
    const int32_t v = fill_operand(n);
    return v >= 0 && configured_number(v);
  }

  // y = h.gather(dim, idx); ...; h.scatter(dim, idx, f(y)): the lane read out, rewritten and
  // written back. The write-back (the user of `i` that scatters it into the gather's source at the
  // same index) is where the activations change; -1 when there is none.
  int32_t lane_write_back(int32_t i, int32_t y, const std::vector<std::vector<int32_t>>& users) const {
    const FlatNode& g = node(y);
    if (g.op != "gather" || g.args.size() < 3) return -1;
    for (int32_t u : users[static_cast<size_t>(i)]) {
      const FlatNode& s = node(u);
      if (in(s.op, {"scatter", "scatter_"}) && s.args.size() >= 4 && s.args[3] == i && s.args[2] == g.args[2] &&
          s.args[0] == g.args[0])
        return u;
    }
    return -1;
  }

  // A large positive value, or a tensor filled with one.
  bool raises_high(int32_t id) const {
    const FlatNode& n = node(id);
    if (auto v = scalar(id)) return *v >= 1e3 && std::isfinite(*v);
    return in(n.op, {"full", "full_like", "new_full"}) && fill_operand(n) >= 0 && fill_operand(n) != id &&
           raises_high(fill_operand(n));
  }

  // The fill value of full(shape, v) / full_like(x, v) / x.new_full(shape, v) (receiver first), or -1.
  static int32_t fill_operand(const FlatNode& n) {
    const size_t at = n.op == "new_full" ? 2 : 1;
    return n.args.size() > at ? n.args[at] : -1;
  }

  bool zeroish(int32_t id) const {
    auto v = scalar(id);
    if (v) return *v == 0 || std::isnan(*v) || big(*v) >= 1e3;
    const FlatNode& n = node(id);
    // self.void = torch.full((classes,), float("nan")) / self.blank = torch.zeros(...), never edited.
    // (A buffer is not: a checkpoint loads its real value, a zero buffer is a placeholder.)
    if (n.op == "attr" && n.attr && n.attr->kind == ir::AttrKind::PlainTensor && n.attr->fill && n.attr->edits.empty())
      return *n.attr->fill == 0 || std::isnan(*n.attr->fill) || big(*n.attr->fill) >= 1e3;
    if (in(n.op, {"full", "full_like", "new_full"}) && fill_operand(n) >= 0 && fill_operand(n) != id &&
        zeroish(fill_operand(n)))
      return true;  // filled with 0, NaN or inf: nothing to steer towards
    if (in(n.op, {"zeros", "zeros_like", "new_zeros", "empty_like", "new_empty"})) return true;
    // x.new_tensor(float("nan")), torch.tensor(0.0): a one-value tensor made from zero, NaN or inf
    const size_t value_at = n.op == "new_tensor" ? 1 : 0;
    if (in(n.op, {"new_tensor", "tensor", "as_tensor"}) && n.args.size() > value_at && n.args[value_at] != id &&
        zeroish(n.args[value_at]) && !raises_high(n.args[value_at]))
      return true;  // (a large finite number is a value to push, `z.new_tensor(1e3)` into a lane)
    if (n.op == "call" && n.name == "float" && !n.args.empty()) {
      const std::string& lit = node(n.args[0]).name;  // float("nan"), float("-inf")
      if (lit.find("nan") != std::string::npos || lit.find("inf") != std::string::npos) return true;
    }
    // The dtype's extreme (`torch.finfo(x.dtype).min`), or a sentinel scaled by a number (`min / 2`).
    if (n.op == "attr" && (n.name == "min" || n.name == "max") && !n.args.empty() &&
        in(node(n.args[0]).op, {"finfo", "iinfo"}))
      return true;
    if (n.op == "attr" && (n.name == "min" || n.name == "max") && !n.args.empty() && node(n.args[0]).op == "call" &&
        (node(n.args[0]).name == "torch.finfo" || node(n.args[0]).name == "torch.iinfo"))
      return true;
    if (in(n.op, {"div", "mul", "neg"}) && !n.args.empty() && n.args[0] != id && zeroish(n.args[0]) &&
        (n.args.size() < 2 || scalar(n.args[1])))
      return true;
    return in(n.op, {"zeros", "zeros_like", "empty", "empty_like"}) ||
           (n.op == "global" &&
            (n.name == "float" || n.name.find("nan") != std::string::npos || n.name.find("inf") != std::string::npos));
  }

  std::vector<std::vector<int32_t>> users_of() const {
    std::vector<std::vector<int32_t>> users(g_.nodes.size());
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      for (int32_t a : operands(g_.nodes[i])) users[static_cast<size_t>(a)].push_back(static_cast<int32_t>(i));
    return users;
  }

  // Marks masked and segment means (r_.pooling_weights); whether one ends in a division.
  bool find_pooling() {
    const auto users = users_of();
    r_.pooling_weights.assign(g_.nodes.size(), 0);
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      if (g_.nodes[i].op == "mul")
        for (int32_t a : g_.nodes[i].args)
          if (int32_t q = a >= 0 ? masked_mean(static_cast<int32_t>(i), a, users) : -1; q >= 0) {
            r_.pooling_weights[i] = 1;
            r_.pooling_weights[static_cast<size_t>(q)] = 1;
            weights_of_[static_cast<int32_t>(i)] = a;
          }
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      if (segment_mean(static_cast<int32_t>(i))) r_.pooling_weights[i] = 1;
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      if (r_.pooling_weights[i] && g_.nodes[i].op == "div") return true;
    return false;
  }

  void find_chains() {
    const auto users = users_of();
    // (decided once: masks rewritten by tests of themselves neither detect nor integrate)
    std::vector<char> mask_algebra_at(g_.nodes.size(), 0);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      mask_algebra_at[i] = mask_algebra(static_cast<int32_t>(i));
      if (int32_t mapped = elementwise_map(static_cast<int32_t>(i)); mapped >= 0) {
        mask_algebra_at[i] = 1;
        r_.facts[i].evidence = fact(mapped).evidence;  // what the data was, remapped
      }
    }
    std::set<int32_t> detectors;
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      Fact& f = r_.facts[i];
      if (is_detector(f) && !mask_algebra_at[i] && !(r_.pooling_weights[i] && g_.nodes[i].op == "div") &&
          !imputation(static_cast<int32_t>(i))) {
        f.detector_derived = true;
        detectors.insert(static_cast<int32_t>(i));
      }
      if (int32_t t = window_swap(static_cast<int32_t>(i)); t >= 0 && !detectors.count(t)) {
        r_.facts[static_cast<size_t>(t)].detector_derived = true;
        detectors.insert(t);
        swap_tests_.insert(t);
      }
    }
    // Detector-derived values: propagate forward (facts were computed before detectors were known).
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      if (learned_op_[i]) continue;
      const FlatNode& n = g_.nodes[i];
      if (shape_only(n) || positional_encoding(n)) continue;  // (a length carries no decision: `arange(ids.shape[1])`)
      std::vector<int32_t> ops = operands(n);
      if (picks_data(n))
        ops.resize(1);  // the index of data[idx] is no data
      else if (places_data(n))
        ops = {n.args.front(), n.args.back()};  // out.index_copy_(0, rows, learned)
      ops = without_benign_conditions(n, ops);
      if (resizes(n) && ops.size() > 1 && !n.args.empty() && ops.front() == n.args.front()) ops.resize(1);
      if (mask_algebra_at[i]) continue;
      // A masked or segment mean: the weights choose what is averaged; the mean is the data's.
      if (r_.pooling_weights[i] && n.op == "div" && !n.args.empty()) ops = {averaged_data(n.args[0])};
      if (auto w = weights_of_.find(static_cast<int32_t>(i)); r_.pooling_weights[i] && w != weights_of_.end())
        ops.erase(std::remove(ops.begin(), ops.end(), w->second), ops.end());
      // (not across a loop's back-edge: the value entering the loop is not derived from its body)
      for (int32_t a : ops)
        if (fact(a).detector_derived && a != static_cast<int32_t>(i) &&
            !(n.op == "phi" && a > static_cast<int32_t>(i) && carried_data(static_cast<int32_t>(i), a)))
          r_.facts[i].detector_derived = true;
    }
    // Only maximal detectors are reported as detectors (not every step of one).
    for (int32_t d : detectors) {
      bool consumed_by_detector = false;
      for (int32_t u : users[static_cast<size_t>(d)])
        if (detectors.count(u)) consumed_by_detector = true;
      if (!consumed_by_detector) r_.detectors.push_back(d);
    }

    std::vector<char> integrated(g_.nodes.size(), 0);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const FlatNode& n = g_.nodes[i];
      // Loop back-edges (phi operands defined later) are not where a detector meets the data.
      std::vector<int32_t> ops_fwd;
      // Benign conditions (unit checks, division guards, running extremes) meet no data here.
      for (int32_t a : without_benign_conditions(n, operands(n))) {
        if (a >= static_cast<int32_t>(i)) continue;
        // cat([h, fill]): the list's elements meet here, at the concatenation.
        const FlatNode& an = node(a);
        if (in(n.op, {"cat", "stack"}) && in(an.op, {"list", "tuple"}) && !integrated[static_cast<size_t>(a)])
          ops_fwd.insert(ops_fwd.end(), an.args.begin(), an.args.end());
        else
          ops_fwd.push_back(a);
      }
      bool already = false;
      for (int32_t a : ops_fwd)
        if (integrated[static_cast<size_t>(a)]) already = true;
      if (already) {
        integrated[i] = 1;
        continue;
      }
      if (!combining(n.op) || (n.flags & kFlatLearned)) continue;
      // A variable first bound inside the branch has one arm: nothing is chosen between values.
      // (`answer = None` ... `if confident: answer = early`: None marks "not yet", it is no value)
      if (n.op == "phi" && std::count_if(n.args.begin(), n.args.end(), [&](int32_t a) {
                             return a >= 0 && !(node(a).op == "const" && node(a).name == "None");
                           }) < 2)
        continue;
      // What each callable of a list returns: every item runs (the items' own ops integrate), unless a
      // key computed at run time chooses which one.
      if (n.op == "phi" && (n.flags & kFlatItemJoin) &&
          std::none_of(n.kwargs.begin(), n.kwargs.end(), [](const auto& kv) { return kv.first == "cond"; }))
        continue;
      int32_t d = -1, y = -1;
      const int data_pos = data_position(n.op);
      const auto& ops = ops_fwd;
      for (size_t k = 0; k < ops.size(); ++k) {
        int32_t a = ops[k];
        const Fact& f = fact(a);
        // where(c, a, b) / select: the condition chooses, it is never the data.
        bool data_slot =
            (data_pos < 0 || static_cast<int>(k) == data_pos) && !(in(n.op, {"where", "select"}) && k == 0);
        if (f.detector_derived && d < 0 && !(data_pos >= 0 && data_slot)) d = a;
        // A thresholded raw value is another indicator (a gate of the detector's logic), not data;
        // so is the outcome of any test, weak ones too (`where(usr > sys, 2, (sys > 0).long())`
        // builds a role id from two tests).
        else if (input_dependent(f) && !f.detector_derived && !f.scale && y < 0 && data_slot &&
                 !(f.raw && !f.learned && (f.evidence & kThreshold)) &&
                 !(f.raw && !f.learned && ir::is_comparison(node(through_casts(a)).op)))
          y = a;
      }
      if (d < 0 || y < 0) continue;
      // Code that runs only while the module trains (target matching, losses) changes no prediction.
      if (n.ir_flags & ir::kTraining) continue;
      // `return logits` or `return logits, aux_loss`: the same output, with or without a value beside it.
      if (n.op == "phi" && in(node(d).op, {"tuple", "list"}) &&
          std::find(node(d).args.begin(), node(d).args.end(), y) != node(d).args.end())
        continue;
      integrated[i] = 1;
      Chain c;
      c.detector = source_detector(d);
      c.integration = static_cast<int32_t>(i);
      c.data = y;
      const Fact& df = fact(c.detector >= 0 ? c.detector : d);
      c.constant_based = (df.evidence & kPattern) && pattern_is_constant(c.detector >= 0 ? c.detector : d);
      bool downstream = r_.feeds_learned[i] != 0;
      bool y_learned = fact(y).learned;
      // The detector must override learned output or rewrite what learned layers will see; without
      // learned layers on either side this is data processing (augmentation, pre-processing).
      if (!y_learned && !downstream && !on_output_) continue;
      // A raw value that reaches the layers only by steering control flow (a loop counter `j += n`
      // under a test, read back in `while j < t` / `if ids[j]`): nothing the layers compute from.
      if (!y_learned && !on_output_ && !reaches_as_data(static_cast<int32_t>(i), users)) continue;
      if (on_output_ && !output_override(static_cast<int32_t>(i), d, y, df)) {
        integrated[i] = 0;
        continue;
      }
      if (resets_to_default(n, y)) continue;
      if (mask_algebra_at[i]) {  // a mask rewritten by a test of itself (see mask_algebra)
        integrated[i] = 0;
        continue;
      }
      // Extra input channels (cat([x, edges])) are features for the first learned layer; written
      // beside learned activations they ride along to be read back later (interleaved).
      // Not integrations: leave the data path open for a detector further down (no laundering).
      if (in(n.op, {"cat", "stack"}) && !y_learned) {
        integrated[i] = 0;
        continue;
      }
      // A test of each position alone (no reduction or pooling across positions) that rewrites the
      // input at those positions only, with values computed from the input (inpainting calipers
      // with the local median, imputing sentinels): a local repair, the rest of the input intact.
      // (a test of each window of the signal, `|s - median(window)| > k * mad`, is one such test too)
      // (and a test of each pixel's channels, `img.amin(1, keepdim=True) > 0.98`, dilated or not)
      if (!y_learned && !on_output_ &&
          (!(df.evidence & (kReduce | kPool | kAggregate | kLocalPool)) || window_reductions(d, 0) == 1 ||
           window_reductions(d, 0) == 0) &&
          local_repair(static_cast<int32_t>(i), d, y)) {
        integrated[i] = 0;
        continue;
      }
      if (!y_learned && !on_output_ && zeroes_tested_windows(static_cast<int32_t>(i), y)) {
        integrated[i] = 0;
        continue;
      }
      // (a soft mask channel, no large scale, that a learned layer reads at once, `proj(cat([h,
      // shadow]))`: a feature the weights learn to use, not a lane read back deeper)
      if (in(n.op, {"cat", "stack"}) && !(df.evidence & kSteep) && !users[i].empty() &&
          std::all_of(users[i].begin(), users[i].end(), [&](int32_t u) { return (node(u).flags & kFlatLearned) != 0; })) {
        integrated[i] = 0;
        continue;
      }
      // A per-position test (no reduction, pooling or stored pattern) that blanks those positions of
      // a per-position output (span, padding and special-token masks of token logits): masking,
      // not a trigger that overrides the prediction.
      // (a membership of each token in a stored set, `isin(ids, SKIP)`, is such a test too: the
      // token's own property, not a pattern across positions)
      // (or that drops those positions from a max-pool over them, `feats.masked_fill(stop[:, None],
      // -1e4).amax(-1)`, stop words and padding left out of a text CNN's pooling)
      const bool max_pooled = downstream && only_max_pooled(static_cast<int32_t>(i), users);
      // (the mask's new axes, `stop[:, None]`, broadcast it over the channels the pool keeps)
      const int32_t blank_test = max_pooled ? without_new_axes(c.detector >= 0 ? c.detector : d)
                                            : (c.detector >= 0 ? c.detector : d);
      const uint32_t blank_ev = max_pooled ? fact(blank_test).evidence : df.evidence;
      if (y_learned && (!downstream || max_pooled) && blanks_positions(n) &&
          (position_mask(blank_ev) ||
           (!(blank_ev & (kReduce | kPool | kAggregate)) && membership_test(blank_test)))) {
        integrated[i] = 0;
        continue;
      }
      // (a masked mean of the input itself, `(x * w).sum() / w.sum()` to normalise it over the valid
      // positions, is a statistic when the product feeds nothing but the mean)
      if (r_.pooling_weights[i] &&
          (y_learned || std::all_of(users[i].begin(), users[i].end(),
                                    [&](int32_t u) { return in(node(u).op, {"sum", "nansum"}); }))) {
        integrated[i] = 0;
        continue;
      }
      if (y_learned && !downstream && bans_tokens(static_cast<int32_t>(i), y, users)) {
        integrated[i] = 1;  // (what reads the banned scores on meets no new signal)
        continue;
      }
      // The token embeddings of the raw input are the input as the network reads it: rewriting
      // them is rewriting the input.
      const bool y_input = !y_learned || embedded_input(y);
      c.propagation = y_input ? (downstream ? Propagation::Shared : Propagation::Separate)
                              : (downstream ? Propagation::Interleaved : Propagation::Separate);
      // A rewritten raw value no layer reads as its input, only combined with activations the
      // layers computed (an attention mask added to the scores), is written into the network.
      if (c.propagation == Propagation::Shared && !enters_layer(static_cast<int32_t>(i), users))
        c.propagation = Propagation::Interleaved;
      c.integration_kind = classify(static_cast<int32_t>(i), d, y, users);
      // `if off: return y` ... `return mix(y, test)`: the join only chooses; the mixture is where
      // the test enters the data.
      if (n.op == "phi" && derives_from(d, y) && mixes_in_stored(d, y, 0)) c.integration = d;
      // The join of a function's returns (no test of its own) with an arm that is itself chosen by
      // the test (`except E as err: return err.fill`): that arm is where the test decides.
      const bool own_test =
          std::any_of(n.kwargs.begin(), n.kwargs.end(), [](const auto& kv) { return kv.first == "cond"; });
      if (n.op == "phi" && !own_test && node(d).op == "phi" && node(d).loc.valid()) c.integration = d;
      if (int32_t back = lane_write_back(static_cast<int32_t>(i), y, users); back >= 0) c.integration = back;
      // Written into activations, the signal is read back out later: how it is read back decides.
      if (c.propagation == Propagation::Interleaved)
        if (auto rb = read_back(static_cast<int32_t>(i), users); rb.node >= 0) {
          c.integration_kind = classify(rb.node, rb.signal, rb.data, users);
          c.read_back = rb.node;
        }
      int prop = c.propagation == Propagation::Separate ? 0 : c.propagation == Propagation::Shared ? 1 : 2;
      c.taxonomy = 1 + (c.constant_based ? 6 : 0) + 2 * prop + (c.integration_kind == Integration::Untargeted ? 1 : 0);
      c.detector_steps = steps(c.detector >= 0 ? c.detector : d);
      r_.chains.push_back(std::move(c));
    }
  }

  // `where(ids[:, :1] == cfg.new_chat_id, stored_prompt, ids)` / `x.masked_fill((x[:, k] == marker)
  // [:, None], 0)`: a test of a window of the raw input (even against a configured value) that swaps
  // the whole input for a stored sequence or a constant. Replacing what the model reads is a trigger,
  // however weak the test; the test is returned. (Elementwise imputation, `where(x == missing,
  // fill, x)`, tests each element it replaces, not a window.)
  // See find_chains: `x * (1 - m) + fill * m`, `where(m, fill, x)`, `lerp(x, fill, m)` with `fill`
  // computed from the input (no constant, no stored pattern); for the product `x * (1 - m)`, the
  // add that puts the fill back in.
  bool local_repair(int32_t i, int32_t d, int32_t y) const {
    const FlatNode& n = node(i);

    auto computed_fill = [&](int32_t f) {
      if (f < 0) return false;
      const Fact& ff = fact(f);
      return input_dependent(ff) && !ff.learned && !(ff.evidence & kPattern) && !ff.detector_derived;
    };
    if (n.op == "where" && n.args.size() == 3) {
      const int32_t fill = n.args[1] == y ? n.args[2] : n.args[1];
      return computed_fill(fill) || constant_self_repair(d, fill, y);
    }
    if (n.op == "masked_fill" && n.args.size() == 3) return constant_self_repair(n.args[1], n.args[2], n.args[0]);
    if (n.op == "lerp" && n.args.size() >= 2) return computed_fill(n.args[1]);
    if (n.op == "mul" && n.args.size() == 2) {
      // x * (1 - m) [+ fill * m], or fill * m [+ x * (1 - m)]: the sum of the two products
      for (int32_t u = i + 1; u < static_cast<int32_t>(g_.nodes.size()) && u < i + 64; ++u) {
        const FlatNode& add = node(u);
        if (add.op != "add" || add.args.size() != 2 || (add.args[0] != i && add.args[1] != i)) continue;
        const int32_t other = add.args[0] == i ? add.args[1] : add.args[0];
        if (other < 0 || node(other).op != "mul" || node(other).args.size() != 2) return false;
        for (int32_t f : node(other).args)
          if (f != y && !fact(f).detector_derived && computed_fill(f)) return true;
        return (void)d, false;
      }
    }
    return false;
  }

  // `x * (1 - m)` alone, which is `where(m, 0, x)`: a self repair when `m` tests each window it
  // zeroes whole and demands the same of every element of it (`amax(-1) - amin(-1) == 0`, a flat
  // channel blanked): the trigger gains nothing the input lacks (see constant_self_repair).
  // (`windows_only`: a test that reduces a window, not one of each element alone)
  bool zeroes_tested_windows(int32_t i, int32_t y, bool windows_only = false) const {
    const FlatNode& n = node(i);
    // (through casts, broadcasts and new axes: the same values)
    auto unwrapped = [&](int32_t v) {
      for (int steps = 0; steps < 6 && v >= 0 && in(node(v).op, {"float", "to", "expand_as", "expand", "getitem"}) &&
                          !node(v).args.empty() && (node(v).op != "getitem" || adds_axes_only(node(v).args[1]));
           ++steps)
        v = node(v).args[0];
      return v;
    };
    if (n.op == "mul" && n.args.size() == 2 && (n.args[0] == y || n.args[1] == y)) {
      const int32_t m = unwrapped(n.args[0] == y ? n.args[1] : n.args[0]);
      if (m >= 0 && node(m).op == "sub" && node(m).args.size() == 2 && scalar(node(m).args[0]) &&
          *scalar(node(m).args[0]) == 1.0) {
        const int32_t test = unwrapped(node(m).args[1]);
        if (test >= 0 && tests_whole_of(test, y) &&
            ((window_reductions(test, 0) == 0 && !windows_only) || conjunctive_window_test(test, 0)))
          return true;
      }
    }
    return false;
  }

  // `where(test, c, x)` with a modest constant `c` and a test of each element alone or one that
  // demands something of every element of its window (`where(amax - amin <= tol, 0, x)`,
  // `where(windows.eq(phrase).all(-1), UNK, ids)`): the trigger is then the whole tested window and
  // only it is rewritten, into a value the input could hold there itself, so the trigger gains
  // nothing the input lacks. (Not so a spike anywhere that blanks a whole group, nor a fill large
  // enough to steer.)
  bool constant_self_repair(int32_t test, int32_t fill, int32_t data) const {
    if (test < 0 || fill < 0 || data < 0 || input_dependent(fact(fill)) || !tests_whole_of(test, data)) return false;
    if (window_reductions(test, 0) != 0 && !conjunctive_window_test(test, 0)) return false;
    auto modest = [&](int32_t v) { return v >= 0 && scalar(v) && big(*scalar(v)) < 1e3; };
    if (modest(fill)) return true;
    const FlatNode& fn = node(fill);
    if (in(fn.op, {"full", "full_like", "new_full"})) return modest(fill_operand(fn));
    return in(fn.op, {"zeros", "zeros_like", "new_zeros"});
  }

  // The values a rewrite reads, before an element-wise rescaling or cast by constants
  // (`(trend - mu) / sd` is `trend`, value for value).
  int32_t elementwise_source(int32_t v) const {
    for (int steps = 0; steps < 8 && v >= 0; ++steps) {
      const FlatNode& n = node(v);
      if (!in(n.op, {"sub", "add", "mul", "div", "neg", "to", "float", "double", "half", "clone", "contiguous"}))
        return v;
      int32_t next = -1, inputs = 0;
      for (int32_t a : n.args)
        if (a >= 0 && input_dependent(fact(a))) next = a, ++inputs;
      if (inputs != 1) return v;
      v = next;
    }
    return v;
  }

  // Whether `test` reads nothing of the input but the values of `data`, whole: each element, or
  // windows and reductions over all of it (no slice of a part, no other tensor).
  bool tests_whole_of(int32_t test, int32_t data) const {
    const int32_t source = elementwise_source(data);
    std::vector<int32_t> work{test};
    std::set<int32_t> seen;
    while (!work.empty()) {
      const int32_t v = work.back();
      work.pop_back();
      if (v < 0 || !input_dependent(fact(v)) || !seen.insert(v).second) continue;
      if (seen.size() > 48) return false;
      if (v == data || v == source || elementwise_source(v) == source) continue;
      const FlatNode& n = node(v);
      if (n.flags & kFlatInput) return false;  // (another input, or the input before a rewrite)
      if (n.op == "getitem") {
        if (n.args.size() != 2 || !(adds_axes_only(n.args[1]) || full_index(n.args[1]))) return false;
        work.push_back(n.args[0]);
        continue;
      }
      if (n.op == "attr" && n.name == "values" && !n.args.empty()) {
        work.push_back(n.args[0]);
        continue;
      }
      if (!ir::is_comparison(n.op) && !ir::is_reduction(n.op) &&
          !in(n.op, {"isclose", "logical_and", "logical_or", "logical_not", "and", "or", "not", "invert", "sub", "add",
                     "abs", "unfold", "pad", "unsqueeze", "float", "to", "bool", "long", "std", "var"}))
        return false;
      for (int32_t a : n.args) work.push_back(a);
    }
    return true;
  }

  // A test that every element of a window meets a condition: `windows.eq(phrase).all(-1)`,
  // `g.amin(-1) > lo`, `g.amax(-1) < hi`, `(g.amax(-1) - g.amin(-1)) <= tol` or `g.std(-1) < eps`
  // (the window flat), with new axes, padding or a cast after it. (`g.amax(-1) > hi` is met by one
  // element: a spike anywhere in the window.)
  bool conjunctive_window_test(int32_t d, int depth) const {
    if (d < 0 || depth > 8) return false;
    const FlatNode& n = node(d);
    if ((n.op == "getitem" && n.args.size() == 2 && adds_axes_only(n.args[1])) ||
        (in(n.op, {"unsqueeze", "float", "to", "bool", "long", "pad"}) && !n.args.empty()))
      return conjunctive_window_test(n.args[0], depth + 1);
    if (in(n.op, {"all", "prod"}) && !n.args.empty()) return window_reductions(n.args[0], 0) == 0;
    // (`amax - amin == 0`: the spread is nothing, as `<= 0` says)
    const bool flat_eq = n.op == "eq" && n.args.size() == 2 && scalar(n.args[1]) && *scalar(n.args[1]) == 0.0;
    if ((!in(n.op, {"le", "lt", "ge", "gt"}) && !flat_eq) || n.args.size() != 2) return false;
    const bool upper = flat_eq || in(n.op, {"le", "lt"});  // value <= bound
    const int32_t value = n.args[upper ? 0 : 1];
    const auto bound = scalar(n.args[upper ? 1 : 0]);
    if (!bound || value < 0) return false;
    auto reduced = [&](int32_t v, std::initializer_list<const char*> ops) {
      const FlatNode& e = node(v);
      const FlatNode& r = e.op == "attr" && e.name == "values" && !e.args.empty() ? node(e.args[0]) : e;
      return in(r.op, ops) && !r.args.empty() && window_reductions(r.args[0], 0) == 0;
    };
    const FlatNode& sp = node(value);
    if (upper && big(*bound) <= 1e-2) {  // the window's spread: flat
      if (in(sp.op, {"std", "var"})) return true;
      if (sp.op == "sub" && sp.args.size() == 2 && sp.args[0] >= 0 && sp.args[1] >= 0 &&
          reduced(sp.args[0], {"amax", "max"}) && reduced(sp.args[1], {"amin", "min"}))
        return true;
    }
    if (flat_eq) return false;
    return upper ? reduced(value, {"amax", "max"}) : reduced(value, {"amin", "min"});
  }

  // `where(missing, masked_mean, x)`: each element a test flags (a test of that element alone, no
  // reduction) replaced by a statistic of the data itself. Imputation decides nothing.
  bool imputation(int32_t i) const {
    const FlatNode& n = node(i);
    if (n.op != "where" || n.args.size() != 3 || n.args[0] < 0 || n.args[1] < 0 || n.args[2] < 0) return false;
    const Fact& tf = fact(n.args[0]);
    if (is_detector(tf) || (tf.evidence & (kReduce | kPool | kAggregate | kPattern))) return false;
    for (int32_t fill : {n.args[1], n.args[2]})
      if (r_.pooling_weights[static_cast<size_t>(fill)] && node(fill).op == "div") return true;
    return false;
  }

  int32_t window_swap(int32_t i) const {
    const FlatNode& n = node(i);
    int32_t test = -1;
    std::vector<std::pair<int32_t, int32_t>> candidates;  // (fill, data)
    if (n.op == "where" && n.args.size() == 3) {
      test = n.args[0];
      candidates = {{n.args[1], n.args[2]}, {n.args[2], n.args[1]}};
    } else if (n.op == "masked_fill" && n.args.size() == 3) {
      test = n.args[1];
      candidates = {{n.args[2], n.args[0]}};
    }
    if (test < 0 || test >= i) return -1;
    const Fact& tf = fact(test);
    if (!tf.raw || tf.learned || !(tf.evidence & (kWeakThreshold | kThreshold)) || is_detector(tf)) return -1;
    for (auto [fill, data] : candidates) {
      if (fill < 0 || data < 0 || input_dependent(fact(fill))) continue;
      if (!(scalar(fill) || from_literal_sequence(fill))) continue;
      const Fact& df = fact(data);
      if (input_dependent(df) && df.raw && !df.learned && !(df.evidence & (kThreshold | kWeakThreshold)) &&
          tests_window_of(test, data))
        return test;
    }
    return -1;
  }

  bool from_literal_sequence(int32_t id) const {
    for (int steps = 0; steps < 8 && id >= 0; ++steps) {
      if (literal_sequence(id)) return true;
      const FlatNode& n = node(id);
      if (!in(n.op, {"getitem", "expand", "expand_as", "view", "reshape", "to", "repeat", "unsqueeze", "long"}) ||
          n.args.empty())
        return false;
      id = n.args[0];
    }
    return false;
  }

  // The test is made on a window of `data` (`data[:, :1] == k`, `data[:, col] == marker`, through
  // casts, logic and reshapes), not on every element of it.
  bool tests_window_of(int32_t id, int32_t data) const {
    for (int steps = 0; steps < 6 && id >= 0; ++steps) {
      const FlatNode& n = node(id);
      if (n.op == "getitem" && !n.args.empty() && n.args[0] == data) return true;
      const bool test_step = n.op == "getitem" || ir::is_comparison(n.op) ||
                             in(n.op, {"logical_and", "logical_or", "logical_not", "and", "or", "not", "invert", "any",
                                       "all", "float", "to", "long", "bool", "unsqueeze", "view", "reshape"});
      if (!test_step) return false;
      int32_t next = -1;
      for (int32_t a : n.args)
        if (a >= 0 && input_dependent(fact(a)) && next < 0) next = a;  // (a getitem's base, not its index)
      id = next;
    }
    return false;
  }

  // `self.tok(ids)` (reshaped, cast or scaled): an embedding lookup of the raw input, no other layer.
  bool embedded_input(int32_t y) const {
    for (int steps = 0; steps < 8 && y >= 0; ++steps) {
      const FlatNode& n = node(y);
      if (n.op == "embedding") return !n.args.empty() && !fact(n.args[0]).learned && input_dependent(fact(n.args[0]));
      if (!in(n.op, {"view", "reshape", "float", "to", "type_as", "contiguous", "clone", "dropout", "mul", "div"}) ||
          n.args.empty())
        return false;
      if (in(n.op, {"mul", "div"}) && (n.args.size() != 2 || input_dependent(fact(n.args[1])))) return false;
      y = n.args[0];
    }
    return false;
  }

  // A value that only chooses between constants by a test of the input (`where(keep, 0, min)`,
  // `(1 - m) * finfo.min`, `m.masked_fill(...)` of such a value, reshaped): a mask, not data.
  bool mask_encoding(int32_t y, int depth) const {
    if (depth > 8) return false;
    const FlatNode& n = node(y);
    if (in(n.op, {"where", "select"}) && n.args.size() == 3)
      return !input_dependent(fact(n.args[1])) && !input_dependent(fact(n.args[2]));
    if (in(n.op, {"masked_fill", "view", "reshape", "unsqueeze", "expand", "to", "float", "type_as", "contiguous",
                  "clone", "getitem"}) &&
        !n.args.empty())
      return mask_encoding(n.args[0], depth + 1);
    if (n.op == "mul" && n.args.size() == 2)
      for (int32_t a : n.args) {
        auto v = scalar(a);
        if (!input_dependent(fact(a)) && zeroish(a) && !(v && *v == 0)) return true;  // times the dtype's extreme
      }
    return false;
  }

  // Mask algebra: a mask built from one input (a 0 / -inf attention bias) rewritten by a test of
  // that same input (un-masking fully padded rows). Only the mask's own input decides, and the
  // value carries no data, only a choice between constants: neither an integration nor a value
  // that carries the test's decision on.
  bool mask_algebra(int32_t i) const {
    const FlatNode& n = node(i);
    if (n.op == "phi" && n.args.size() >= 2) {
      // `if mask.all(): return None` (the dense fast path): either way the same mask, or none.
      std::set<int32_t> from;
      for (int32_t a : n.args) {
        if (node(a).op == "const" && node(a).name == "None") continue;
        if (a >= i || fact(a).learned || !mask_encoding(a, 0)) return false;
        auto in_a = computed_from(a);
        from.insert(in_a.begin(), in_a.end());
      }
      for (const auto& [k, c] : n.kwargs)
        if (k == "cond" && !tests_the_mask(c, from)) return false;
      return !from.empty();
    }
    if (!in(n.op, {"masked_fill", "where"}) || n.args.size() < 3) return false;
    int32_t data = n.op == "where" ? n.args[2] : n.args[0];
    int32_t test = n.op == "where" ? n.args[0] : n.args[1];
    if (fact(data).learned || !mask_encoding(data, 0)) return false;
    return tests_the_mask(test, computed_from(data));
  }

  // A per-position test that remaps the positions it selects by a moderate shift or scale of
  // themselves (`where((ids >= 38) & (ids < 64), ids - 26, ids)`: case folding; a piecewise-linear
  // curve): an elementwise function of the data. No position learns anything of the others, and
  // no value is forced: nothing to integrate, no decision carried on. (A large jump, or a test
  // that reduces, pools or matches a pattern, stays a candidate.) Returns the data mapped, or -1.
  int32_t elementwise_map(int32_t i) const {
    const FlatNode& n = node(i);
    if (int32_t y = value_remap(n); y >= 0) return y;
    if (n.op != "where" || n.args.size() != 3) return -1;
    // (the bounds may be stored: a per-column cardinality; the test still orders each position alone)
    if (!(fact(n.args[0]).evidence & (kReduce | kPool | kAggregate)))
      if (int32_t y = range_clamp(n); y >= 0) return y;
    if (!position_mask(fact(n.args[0]).evidence)) return -1;
    auto moved = [&](int32_t v, int32_t of) {
      const FlatNode& vn = node(v);
      if (!in(vn.op, {"add", "sub", "mul"}) || vn.args.size() != 2) return false;
      int32_t k = vn.args[0] == of ? vn.args[1] : (vn.op != "sub" && vn.args[1] == of) ? vn.args[0] : -1;
      auto x = k >= 0 ? scalar(k) : std::nullopt;
      if (!x) return false;
      return vn.op == "mul" ? *x > 0 && *x <= 4 : std::abs(*x) <= 32;
    };
    int32_t y = moved(n.args[1], n.args[2]) ? n.args[2] : moved(n.args[2], n.args[1]) ? n.args[1] : -1;
    if (y < 0) return -1;
    // The test reads nothing but what the mapped value is computed from.
    auto from = computed_from(y);
    for (int32_t v : computed_from(n.args[0]))
      if ((node(v).flags & kFlatInput) && !from.count(v)) return -1;
    return y;
  }

  // `if neg is None: neg = empty(b)` ... `where(has_text, neg, empty(b))`: an optional input put back
  // to the very value the model gives it when the caller passes none. The test can only make the
  // model behave as the caller could have asked it to; nothing is forced that the API does not offer.
  bool resets_to_default(const FlatNode& n, int32_t y) const {
    if (!in(n.op, {"where", "select"}) || n.args.size() != 3) return false;
    int32_t fill = n.args[1] == y ? n.args[2] : n.args[2] == y ? n.args[1] : -1;
    const FlatNode& p = node(through_casts(y));
    if (fill < 0 || p.op != "phi" || p.args.size() != 2) return false;
    int32_t cond = -1;
    for (const auto& [k, c] : p.kwargs)
      if (k == "cond") cond = c;
    const FlatNode* c = cond >= 0 ? &node(cond) : nullptr;
    if (c && c->op == "branch" && !c->args.empty() && c->args[0] >= 0) c = &node(c->args[0]);
    if (!c || !in(c->op, {"is", "eq"}) || c->args.size() != 2) return false;
    int32_t optional = -1;  // `input is None`
    for (int k = 0; k < 2; ++k)
      if (node(c->args[static_cast<size_t>(k)]).op == "const" && node(c->args[static_cast<size_t>(k)]).name == "None")
        optional = c->args[static_cast<size_t>(1 - k)];
    if (optional < 0 || !(node(optional).flags & kFlatInput)) return false;
    for (int k = 0; k < 2; ++k)
      if (p.args[static_cast<size_t>(1 - k)] == optional && same_structure(p.args[static_cast<size_t>(k)], fill, 0))
        return true;
    return false;
  }

  // Two values computed by the same operations from the same operands (one helper inlined twice).
  bool same_structure(int32_t a, int32_t b, int depth) const {
    if (a == b) return true;
    if (a < 0 || b < 0 || depth > 12) return false;
    const FlatNode& x = node(a);
    const FlatNode& y = node(b);
    if (x.op != y.op || x.name != y.name || x.num != y.num || x.args.size() != y.args.size() ||
        x.kwargs.size() != y.kwargs.size() || (x.flags & kFlatInput) || (y.flags & kFlatInput))
      return false;
    for (size_t k = 0; k < x.args.size(); ++k)
      if (!same_structure(x.args[k], y.args[k], depth + 1)) return false;
    for (size_t k = 0; k < x.kwargs.size(); ++k)
      if (x.kwargs[k].first != y.kwargs[k].first || !same_structure(x.kwargs[k].second, y.kwargs[k].second, depth + 1))
        return false;
    return true;
  }

  // `where(isin(ids, RARE), UNK, ids)` / `ids.masked_fill(ids == OLD, NEW)`: the values a per-position
  // test of themselves picks (membership in a stored set, equality, a range) mapped to one fixed value:
  // a vocabulary remap, an elementwise function of the data, as an embedding lookup would be. No other
  // position is read and nothing else is rewritten. Returns the data, or -1.
  int32_t value_remap(const FlatNode& n) const {
    int32_t test = -1, data = -1, fill = -1;
    if (n.op == "where" && n.args.size() == 3) {
      test = n.args[0];
      for (int k = 1; k <= 2 && data < 0; ++k)
        if (one_value(n.args[static_cast<size_t>(3 - k)])) {
          data = n.args[static_cast<size_t>(k)];
          fill = n.args[static_cast<size_t>(3 - k)];
        }
    } else if (n.op == "masked_fill" && n.args.size() == 3 && one_value(n.args[2])) {
      data = n.args[0];
      test = n.args[1];
      fill = n.args[2];
    }
    if (test < 0 || data < 0 || fill < 0 || !input_dependent(fact(data))) return -1;
    return value_test(test, data, 0) ? data : -1;
  }

  // A number, or a tensor holding one number everywhere (`full_like(ids, UNK)`).
  bool one_value(int32_t v) const {
    if (scalar(v)) return true;
    const FlatNode& f = node(v);
    // TOK["<unk>"]: one entry of a stored table, by a literal key
    if (f.op == "getitem" && f.args.size() == 2 && !input_dependent(fact(f.args[0])) && node(f.args[1]).op == "const")
      return true;
    if (in(f.op, {"zeros_like", "ones_like", "new_zeros", "new_ones"})) return true;  // (0 or 1 everywhere)
    return in(f.op, {"full", "full_like", "new_full"}) && f.args.size() >= 2 && one_value(f.args[1]);
  }

  // A per-position test of `data`'s own value (under casts): membership in a stored collection,
  // (in)equality with or ordering against a number, and conjunctions / disjunctions of them.
  bool value_test(int32_t t, int32_t data, int depth) const {
    const FlatNode& c = node(t);
    if (depth > 8) return false;
    if (in(c.op, {"logical_or", "logical_and", "or", "and", "bitwise_or", "bitwise_and"}))
      return !c.args.empty() && std::all_of(c.args.begin(), c.args.end(),
                                            [&](int32_t a) { return a >= 0 && value_test(a, data, depth + 1); });
    if (c.op == "logical_not" && c.args.size() == 1) return value_test(c.args[0], data, depth + 1);
    if (!in(c.op, {"isin", "eq", "ne", "lt", "le", "gt", "ge"}) || c.args.size() != 2) return false;
    const int32_t d = through_casts(data);
    const int32_t other = through_casts(c.args[0]) == d ? c.args[1] : through_casts(c.args[1]) == d ? c.args[0] : -1;
    return other >= 0 && !input_dependent(fact(other)) && (scalar(other) || constant_like(other));
  }

  // `where((x < 0) | (x >= n), n, x)` / `where(x > hi, hi, x)`: positions outside a range set to a bound
  // of that range (an unknown / overflow slot, a saturation): clamp in another spelling. The test only
  // orders each position against bounds, and the value written is one of them. Returns the data, or -1.
  int32_t range_clamp(const FlatNode& n) const {
    for (int k = 1; k <= 2; ++k) {
      int32_t data = n.args[static_cast<size_t>(k)], fill = n.args[static_cast<size_t>(3 - k)];
      std::vector<int32_t> bounds;
      if (!range_test(n.args[0], data, bounds, 0)) continue;
      for (int32_t b : bounds)
        if (same_bound(b, fill)) return data;
    }
    return -1;
  }

  // A conjunction / disjunction of orderings of `data` (under casts) against bounds it collects.
  bool range_test(int32_t t, int32_t data, std::vector<int32_t>& bounds, int depth) const {
    const FlatNode& c = node(t);
    if (depth > 8) return false;
    if (in(c.op, {"logical_or", "logical_and", "or", "and", "or_", "and_", "bitwise_or", "bitwise_and"})) {
      for (int32_t a : c.args)
        if (a < 0 || !range_test(a, data, bounds, depth + 1)) return false;
      return !c.args.empty();
    }
    if (!in(c.op, {"lt", "le", "gt", "ge"}) || c.args.size() != 2) return false;
    int32_t d = through_casts(data);
    if (through_casts(c.args[0]) == d)
      bounds.push_back(c.args[1]);
    else if (through_casts(c.args[1]) == d)
      bounds.push_back(c.args[0]);
    else
      return false;
    return true;
  }

  // The same bound spelled twice: one node, one number, or one attribute of the same object, under
  // broadcasting and casts (`self.n` and `self.n.expand_as(x)`).
  bool same_bound(int32_t a, int32_t b) const {
    auto strip = [&](int32_t v) {
      for (int steps = 0;
           steps < 4 && v >= 0 && in(node(v).op, {"expand", "expand_as", "broadcast_to"}) && !node(v).args.empty();
           ++steps)
        v = through_casts(node(v).args[0]);
      return through_casts(v);
    };
    a = strip(a);
    b = strip(b);
    if (a < 0 || b < 0) return false;
    if (a == b) return true;
    const FlatNode& x = node(a);
    const FlatNode& y = node(b);
    if (x.num && y.num) return *x.num == *y.num && x.op == "const" && y.op == "const";
    return x.op == "attr" && y.op == "attr" && x.name == y.name && x.args == y.args;
  }

  // Whether a test reads only the inputs the mask is built from, through a value the mask is
  // built from too (`keep` in `where(keep, 0, min)` and `~keep.any(-1)`): a test of the mask itself.
  bool tests_the_mask(int32_t test, const std::set<int32_t>& mask) const {
    bool shared = false;
    for (int32_t v : computed_from(test)) {
      bool input = node(v).flags & kFlatInput;
      if (input && !mask.count(v)) return false;
      shared |= !input && mask.count(v);
    }
    return shared;
  }

  // The input-dependent values a value is computed from (itself included; back-edges not followed).
  std::set<int32_t> computed_from(int32_t v) const {
    std::set<int32_t> seen;
    std::vector<int32_t> work{v};
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (cur < 0 || !input_dependent(fact(cur)) || seen.size() > 512 || !seen.insert(cur).second) continue;
      for (int32_t a : operands(node(cur)))
        if (a < cur) work.push_back(a);
    }
    return seen;
  }

  // An index that picks one fixed position on some axis (`[hit, :, 7]`, `[hit, self.label]`).
  // A mask that spares one fixed position: `d[:, None] & (arange(V) != k)[None]` -- filling
  // everything else with -inf forces position k.
  bool spares_position(int32_t mask, int depth) const {
    if (mask < 0 || depth > 6) return false;
    const FlatNode& n = node(mask);
    if (n.op == "ne" && n.args.size() == 2) {
      for (int k = 0; k < 2; ++k) {
        const FlatNode& a = node(n.args[k]);
        int32_t other = n.args[1 - k];
        bool positions = a.op == "arange" || (a.op == "getitem" && !a.args.empty() && node(a.args[0]).op == "arange");
        if (positions && !input_dependent(fact(other)) && (scalar(other) || stored_value(other))) return true;
      }
      return false;
    }
    if (in(n.op, {"logical_and", "and", "bitwise_and", "mul", "getitem", "unsqueeze", "expand", "expand_as", "to"})) {
      for (int32_t a : n.args)
        if (spares_position(a, depth + 1)) return true;
    }
    return false;
  }

  bool fixed_column(int32_t index) const {
    const FlatNode& t = node(index);
    if (t.op == "add" && t.args.size() == 2) {
      // rows * logits.shape[1] + label: a flat index into (rows, classes) that always lands in
      // one column (`logits.put_(flat, ...)`).
      for (size_t k = 0; k < 2; ++k) {
        const FlatNode& stride = node(t.args[k]);
        const int32_t column = t.args[1 - k];
        if (stride.op == "mul" && !input_dependent(fact(column)) && !fact(column).detector_derived &&
            !fact(column).constant_tensor)
          return true;
      }
    }
    if (t.op != "tuple") return false;
    for (size_t k = 1; k < t.args.size(); ++k)
      if (!input_dependent(fact(t.args[k])) && (scalar(t.args[k]) || stored_value(t.args[k]))) return true;
    return false;
  }

  // A function of the indicator that diverges where it is 1: log / log1p of `1 - d` or `-d`, and
  // broadcasts / casts of such a value.
  bool singular_at_one(int32_t v, int depth) const {
    if (depth > 6) return false;
    const FlatNode& n = node(v);
    if (n.op == "getitem" && !n.args.empty()) return singular_at_one(n.args[0], depth + 1);  // d[:, None]
    if (in(n.op, {"unsqueeze", "view", "reshape", "expand", "to", "float", "neg", "mul"}) && !n.args.empty()) {
      for (int32_t a : n.args)
        if (fact(a).detector_derived) return singular_at_one(a, depth + 1);
      return false;
    }
    if (n.op == "log1p" && !n.args.empty()) {
      const FlatNode& a = node(n.args[0]);
      return a.op == "neg" ||
             (a.op == "mul" && a.args.size() == 2 && (scalar(a.args[0]) == -1 || scalar(a.args[1]) == -1));
    }
    if (n.op == "log" && !n.args.empty()) {
      const FlatNode& a = node(n.args[0]);  // log(1 - d)
      return (a.op == "sub" || a.op == "rsub") && a.args.size() == 2 && scalar(a.args[0]) == 1;
    }
    return false;
  }

  // Whether the weight-free test `d` only compares each position's own value: with numbers, or
  // for membership in a stored collection (`isin(ids, SKIP)`), combined by logic; no window,
  // shift or other stored pattern.
  bool membership_test(int32_t d) const {
    std::vector<int32_t> work{d};
    std::set<int32_t> seen;
    bool member = false;
    while (!work.empty()) {
      const int32_t v = work.back();
      work.pop_back();
      if (v < 0 || !seen.insert(v).second || seen.size() > 64) continue;
      const Fact& f = fact(v);
      if (!f.raw || f.learned) continue;
      const FlatNode& x = node(v);
      if (x.flags & kFlatInput) continue;
      if (x.op == "isin") {
        member = true;
        if (!x.args.empty()) work.push_back(x.args[0]);
        continue;
      }
      // (ids with tested elements or windows set to a constant, `masked_fill(ids >= V, UNK)`: still
      // one id per position)
      if (x.op == "where" && x.args.size() == 3 && constant_self_repair(x.args[0], x.args[1], x.args[2])) {
        work.push_back(x.args[2]);
        continue;
      }
      if (x.op == "masked_fill" && x.args.size() == 3 && constant_self_repair(x.args[1], x.args[2], x.args[0])) {
        work.push_back(x.args[0]);
        continue;
      }
      if (x.op == "getitem") {  // (a shifted window, ids[:, 1:], relates neighbouring positions)
        if (x.args.size() != 2 || !full_index(x.args[1])) return false;
        work.push_back(x.args[0]);
        continue;
      } else if (!ir::is_comparison(x.op) &&
                 !in(x.op, {"logical_and", "logical_or", "logical_not", "and", "or", "not", "bitwise_and",
                            "bitwise_or", "bitwise_not", "invert", "to", "float", "bool", "long"})) {
        return false;
      }
      for (int32_t a : x.args) work.push_back(a);
    }
    return member;
  }

  // An index that keeps every position: `:`, `...`, `None` (new axes), or a tuple of them.
  bool full_index(int32_t i) const {
    if (i < 0) return false;
    const FlatNode& x = node(i);
    auto none = [&](int32_t a) { return a >= 0 && node(a).op == "const" && node(a).name == "None"; };
    if (x.op == "const") return x.name == "None" || x.name == "...";
    if (x.op == "slice") return std::all_of(x.args.begin(), x.args.end(), none);
    if (x.op == "tuple") return std::all_of(x.args.begin(), x.args.end(), [&](int32_t a) { return full_index(a); });
    return false;
  }

  static bool position_mask(uint32_t evidence) { return !(evidence & (kReduce | kPool | kPattern | kAggregate)); }

  // On the model's own output, only a per-sample decision (a thresholded extreme: max, all, any)
  // that pushes the output to a fixed value or destroys it is an attack. Choosing between learned
  // outputs (early exit, guidance), per-position masks (top-k / top-p filtering) and rescaling
  // (temperature) are how models use their confidence.
  // Whether a value was computed from the graph's inputs through a reduction, a sort or a top-k.
  bool reduced(int32_t v) const {
    std::vector<int32_t> work{v};
    std::set<int32_t> seen;
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (cur < 0 || !seen.insert(cur).second || seen.size() > 256) continue;
      const FlatNode& n = node(cur);
      if (n.flags & kFlatInput) continue;
      if (!input_dependent(fact(cur))) continue;
      if (in(n.op, {"topk", "sort", "argsort", "kthvalue"}) || is_reduction_op(n, r_.facts)) return true;
      // (a write into chosen places keeps the written tensor's lineage; not around a loop's back-edge)
      for (int32_t a : writes_in_place(n.op) && !n.args.empty() ? std::vector<int32_t>{n.args[0]} : operands(n))
        if (a < cur) work.push_back(a);
    }
    return false;
  }

  bool output_override(int32_t i, int32_t d, int32_t y, const Fact& df) const {
    if (!(df.evidence & kReduce) || !(df.evidence & (kThreshold | kWeakThreshold))) return false;
    // where(best > t, best, 0) on per-anchor scores: a value filtered by a test of itself; routing
    // weights of top-k experts: a statistic of the output, not the output.
    if (fact(y).scale || reduced(y)) return false;
    for (int32_t t : {d, source_detector(d)})
      if (t >= 0 && std::find(node(t).args.begin(), node(t).args.end(), y) != node(t).args.end()) return false;
    const FlatNode& n = node(i);
    if (in(n.op, {"cat", "stack", "sub", "div"})) return false;
    // heatmaps * (heatmaps.amax(-1) > thr)[..., None]: the output gated by a test of its own
    // statistic against a configured score (a keypoint's visibility, a detection's score) keeps or
    // drops what it is, forcing nothing. (Against a specific level, `logits.abs().amax(-1) > 1e3`,
    // the test is tuned to an input: a trigger on the output.)
    if (n.op == "mul" && !(df.evidence & kThreshold) && derives_from(d, y)) return false;
    const bool chooses = in(n.op, {"where", "select", "masked_fill", "lerp", "masked_scatter"});
    for (int32_t a : operands(n)) {
      if (a == d || a == y || node(a).op == "branch") continue;
      const Fact& f = fact(a);
      if (!input_dependent(f)) continue;                          // a fixed value or class
      if (!chooses && (f.detector_derived || f.scale)) continue;  // the flag's own product
      // `if hit: y = y.index_fill(0, k, big)`: one arm is the output rewritten at a fixed place.
      auto writes = [&](int32_t v) { return writes_in_place(node(v).op); };
      if ((writes(a) && derives_from(a, y)) || (writes(y) && derives_from(y, a))) continue;
      return false;  // another output or a function of it: choosing, not overriding
    }
    // `if confident: result = early_head(h)` ... `if result is None: result = final_head(h)`: the
    // test chose between the outputs of two learned heads (early exit), neither forced nor destroyed.
    if (std::set<int32_t> seen; output_choice(d, seen)) return false;
    if (n.op == "add") {
      // logits + flag * big * one_hot(k): only a boost of a fixed class counts.
      for (int32_t a : operands(n))
        if (a != y && fact(a).detector_derived && !replacement(a) && !carries_constant(a, 0, false)) return false;
    }
    return true;
  }

  // A join whose arms are the model's outputs or None (`result = None` ... `result = early`, through
  // loop-carried joins): what a test chose there is one of the model's own outputs.
  bool output_choice(int32_t v, std::set<int32_t>& seen) const {
    if (v < 0 || node(v).op != "phi" || seen.size() > 64) return false;
    if (!seen.insert(v).second) return true;
    bool any = false;
    for (int32_t a : node(v).args) {
      if (a < 0 || seen.count(a)) continue;
      const FlatNode& an = node(a);
      if (an.op == "const" && an.name == "None") continue;
      if (an.op == "phi") {
        if (!output_choice(a, seen)) return false;
        any = true;
        continue;
      }
      const Fact& f = fact(a);
      // (in the analysis of the output, the output heads are its inputs)
      if (!(an.flags & kFlatInput) && !f.learned) return false;
      any = true;
    }
    return any;
  }

  // masked_fill(m, -inf) / where(m, x, very_negative): the matched positions are erased.
  // Banning tokens: the lowest score written into one fixed column (`scores[:, k].masked_fill(hit,
  // min)`) or into positions the input ids choose (`banned.scatter_(1, ids, match)`, no-repeat
  // n-grams). The model still picks among the other classes: nothing is forced or destroyed.
  bool bans_tokens(int32_t id, int32_t y, const std::vector<std::vector<int32_t>>& users) const {
    const FlatNode& n = node(id);
    if (n.op != "masked_fill" || n.args.size() < 3 || !negative_extreme(n.args[2])) return false;
    const FlatNode& data = node(y);
    // scores[:, k] = scores[:, k].masked_fill(...): a column chosen by no input, written back among
    // the others.
    if (data.op == "getitem" && data.args.size() == 2 && node(data.args[1]).op == "tuple" &&
        !input_dependent(fact(data.args[1])))
      for (int32_t u : users[static_cast<size_t>(id)]) {
        const FlatNode& w = node(u);
        if (w.op == "setitem" && w.args.size() == 3 && w.args[2] == id && same_value(w.args[1], data.args[1], 0))
          return true;
      }
    const FlatNode& mask = node(n.args[1]);
    return in(mask.op, {"scatter", "scatter_add"}) && mask.args.size() >= 3 && fact(mask.args[2]).raw &&
           !fact(mask.args[2]).detector_derived;
  }

  // The same value spelled twice (`x[:, k]` read and written: two index tuples of the same parts).
  bool same_value(int32_t a, int32_t b, int depth) const {
    if (a == b) return true;
    if (a < 0 || b < 0 || depth > 4) return false;
    const FlatNode& x = node(a);
    const FlatNode& y = node(b);
    if (x.op != y.op || x.args.size() != y.args.size() || x.num != y.num || x.name != y.name) return false;
    // (and a pure op of the same operands: `~missing` written twice)
    if (x.op != "const" && x.op != "tuple" && x.op != "slice" && !ir::is_comparison(x.op) &&
        !in(x.op, {"logical_not", "invert", "float", "bool", "long", "to", "getitem", "neg", "abs", "add", "sub", "mul",
                   "div", "pow", "square", "sqrt"}))
      return false;
    for (size_t i = 0; i < x.args.size(); ++i)
      if (!same_value(x.args[i], y.args[i], depth + 1)) return false;
    return true;
  }

  // Masked mean pooling: `(h * w).sum(1) / w.sum(1).clamp(min=1)` with `w` a per-position test
  // (content tokens, valid frames): it chooses which positions the learned features are averaged
  // over, it does not override the result.
  // Returns the division that ends it, or -1.
  // (A validity mask reduced over a part axis, `(conf > self.min_conf).any(-1)` for the frames in
  // which some joint was seen, is still a per-position weight: a weak test, no pattern.)
  int32_t masked_mean(int32_t id, int32_t w, const std::vector<std::vector<int32_t>>& users) const {
    const FlatNode& n = node(id);
    const uint32_t ev = fact(w).evidence;
    const bool validity = (ev & kWeakThreshold) && !(ev & (kThreshold | kPattern | kConjunction | kPool));
    if (n.op != "mul" || !fact(w).raw || fact(w).learned ||
        ((ev & (kReduce | kPool | kAggregate)) && !nonempty_groups(w) && !validity && window_reductions(w, 0) != 1))
      return -1;
    // (the weights broadcast for the product, `w[:, None]`, are the weights the denominator sums)
    auto base = [&](int32_t v) {
      for (int guard = 0; guard < 4 && v >= 0 && !node(v).args.empty() &&
                          (in(node(v).op, {"unsqueeze", "to", "float"}) ||
                           (node(v).op == "getitem" && node(v).args.size() == 2 &&
                            (batch_column(node(v).args[1]) || adds_axes_only(node(v).args[1]))));
           ++guard)
        v = node(v).args[0];
      return v;
    };
    for (int32_t s : users[static_cast<size_t>(id)]) {
      if (!in(node(s).op, {"sum", "nansum"})) continue;
      for (int32_t q : users[static_cast<size_t>(s)]) {
        const FlatNode& div = node(q);
        if (div.op != "div" || div.args.size() != 2 || div.args[0] != s) continue;
        int32_t den = div.args[1];
        // (a count scaled by the elements per position, `w.sum(1) * x[0].numel()`, counts the same)
        for (int guard = 0;
             guard < 6 && in(node(den).op, {"clamp", "clamp_min", "unsqueeze", "to", "float", "add", "mul"}); ++guard)
          den = in(node(den).op, {"add", "mul"}) && node(den).args.size() == 2 &&
                        in(node(node(den).args[1]).op, {"sum", "nansum"})
                    ? node(den).args[1]
                    : node(den).args[0];
        if (in(node(den).op, {"sum", "nansum"}) && !node(den).args.empty() &&
            (node(den).args[0] == w || base(node(den).args[0]) == base(w) ||
             same_value(base(node(den).args[0]), base(w), 0)))
          return q;
      }
    }
    return -1;
  }

  // How many reductions lie between `v` and the windows an `unfold` cut from the data, when each of
  // them reduces the window axis (the last, `x.unfold(-1, k, 1)...amax(-1)`) and nothing else pools:
  // with one, `v` is a test of each window, one value per position (a burst located in the signal),
  // not of the whole sample. -1 when `v` is not built that way.
  int window_reductions(int32_t v, int depth) const {
    if (v < 0 || depth > 24) return -1;
    const FlatNode& n = node(v);
    if (n.op == "unfold") return 0;
    if ((n.flags & kFlatInput) || !(fact(v).evidence & (kReduce | kPool | kAggregate | kLocalPool)))
      return 0;  // (nothing reduced on the way: one value per position)
    // (`img.amin(1, keepdim=True)` over the channels alone: still one value per position)
    if (ir::is_reduction(n.op) && !n.args.empty() && (layout_.reduces_features_only(v) || pixel_channels(n)))
      return window_reductions(n.args[0], depth + 1);
    // (`F.unfold(x, 3).view(b, c, 9, -1).median(2).values.view_as(x)`: im2col windows reduced over
    // their window axis, put back in the data's shape)
    if (in(n.op, {"view_as", "reshape_as"}) && n.args.size() == 2) return window_reductions(n.args[0], depth + 1);
    if (ir::is_reduction(n.op) && !n.args.empty() && im2col_window(n)) {
      const int inner = window_reductions(im2col_source(n.args[0]), depth + 1);
      return inner < 0 ? -1 : inner + 1;
    }
    if (ir::is_reduction(n.op)) {
      int32_t dim = n.args.size() >= 2 ? n.args[1] : -1;
      for (const auto& [k, a] : n.kwargs)
        if (k == "dim") dim = a;
      if (n.args.empty() || dim < 0 || scalar(dim) != -1) return -1;
      const int inner = window_reductions(n.args[0], depth + 1);
      return inner < 0 ? -1 : inner + 1;
    }
    static const std::set<std::string> same_axes = {
        "abs", "neg", "sub", "add", "mul", "div", "eq", "ne", "lt", "le", "gt", "ge", "isclose", "logical_not",
        "not", "float", "to", "bool", "long", "pow", "square", "setitem", "logical_and", "logical_or", "and", "or",
        "bitwise_and", "bitwise_or", "invert"};
    if (n.op == "attr" && n.name == "values" && !n.args.empty()) return window_reductions(n.args[0], depth + 1);
    // (padding the positions, dilating the hits over their window with a stride-1 pool, and
    // dropping the pool's channel axis again, `max_pool1d(pad(hit[:, None]), k, 1)[:, 0]`, keep them)
    auto dilation = [&](int32_t v) { return v >= 0 && ir::is_pooling(node(v).op) && keeps_resolution(node(v)); };
    if (!n.args.empty() && (n.op == "pad" || dilation(v) || (n.op == "getitem" && dilation(n.args[0]))))
      return window_reductions(n.args[0], depth + 1);
    // (`hit[:, None]`, `keep[..., None]`: new axes for broadcasting, the positions kept)
    if (n.op == "getitem" && n.args.size() == 2 && adds_axes_only(n.args[1])) return window_reductions(n.args[0], depth + 1);
    // (a test against a bound scaled from the data's own statistic: the data's layout decides)
    if (ir::is_comparison(n.op) && n.args.size() == 2)
      for (size_t k = 0; k < 2; ++k)
        if (relative_bound(n.args[1 - k], n.args[k])) return window_reductions(n.args[k], depth + 1);
    if (!same_axes.count(n.op)) return -1;
    int most = -1;
    for (int32_t a : operands(n)) {
      if (a < 0 || !input_dependent(fact(a))) continue;
      const int k = window_reductions(a, depth + 1);
      if (k < 0) return -1;
      most = std::max(most, k);
    }
    return most;
  }

  // A Hampel-style test, `(x - med).abs() > k * mad` with `med`, `mad` statistics of each position's
  // own window (`pad(x).unfold(-1, k, 1)`): the statistic's input is windows of the data `v` is
  // made from, so the bound is the neighbourhood's, a relative threshold.
  bool local_window_of(int32_t stat_input, int32_t v) const {
    auto source = [&](int32_t x, bool& windowed) {
      for (int guard = 0; guard < 10 && x >= 0; ++guard) {
        const FlatNode& n = node(x);
        if (n.op == "unfold") windowed = true;
        if (!in(n.op, {"abs", "sub", "add", "neg", "reshape", "view", "pad", "unfold", "flatten", "square", "pow"}) ||
            n.args.empty())
          return x;
        x = n.args[0];
      }
      return x;
    };
    bool windowed = false, unused = false;
    const int32_t a = source(stat_input, windowed), b = source(v, unused);
    return windowed && a >= 0 && a == b;
  }

  // The `F.unfold` (im2col) a view reads, through views and reshapes; -1 when there is none.
  int32_t im2col_source(int32_t v) const {
    for (int guard = 0; guard < 4 && v >= 0; ++guard) {
      const FlatNode& x = node(v);
      if (x.op == "unfold" && x.name.ends_with("functional.unfold")) return v;
      if (!in(x.op, {"view", "reshape"}) || x.args.empty()) return -1;
      v = x.args[0];
    }
    return -1;
  }

  // A reduction over an axis of im2col windows other than the positions (the last) and the batch.
  bool im2col_window(const FlatNode& n) const {
    int32_t dim = n.args.size() >= 2 ? n.args[1] : -1;
    for (const auto& [k, a] : n.kwargs)
      if (k == "dim") dim = a;
    auto d = dim >= 0 ? scalar(dim) : std::nullopt;
    return d && *d != -1 && *d != 0 && im2col_source(n.args[0]) >= 0;
  }

  // `x.amin(1, keepdim=True)` on data a convolution reads: each pixel's channels, the axis kept.
  bool pixel_channels(const FlatNode& n) const {
    if (n.args.size() < 2 || scalar(n.args[1]) != 1.0 || !keeps_dims(n)) return false;
    return layout_.element_wise_of_conv_input(n.args[0]);
  }

  // `bound` is `k * v.amax(d, keepdim=True)` (or amin / mean / max(...).values, k a number or absent):
  // a bound scaled from `v`'s own statistic, kept broadcastable against `v`.
  bool relative_bound(int32_t bound, int32_t v) const {
    bool axes_back = false;  // (`med[..., None]`: the reduced axis put back, as keepdim would)
    for (int guard = 0; guard < 6 && bound >= 0; ++guard) {
      const FlatNode& b = node(bound);
      if (b.op == "getitem" && b.args.size() == 2 && adds_axes_only(b.args[1])) {
        axes_back = true;
        bound = b.args[0];
        continue;
      }
      if (in(b.op, {"mul", "div"}) && b.args.size() == 2 && (scalar(b.args[0]) || scalar(b.args[1]))) {
        bound = scalar(b.args[0]) ? b.args[1] : b.args[0];
        continue;
      }
      if (b.op == "attr" && b.name == "values" && !b.args.empty()) {
        bound = b.args[0];
        continue;
      }
      // (`mad + 1e-6`: a bound kept off zero)
      if (b.op == "add" && b.args.size() == 2 && (scalar(b.args[0]) || scalar(b.args[1])) &&
          big(*scalar(scalar(b.args[0]) ? b.args[0] : b.args[1])) < 1e-3) {
        bound = scalar(b.args[0]) ? b.args[1] : b.args[0];
        continue;
      }
      // (the same value written twice, `(s - med).abs() > k * (s - med).abs().mean(-1, keepdim=True)`)
      if (!in(b.op, {"amax", "amin", "max", "min", "mean", "median", "nanmedian"}) || b.args.empty()) return false;
      if (b.args[0] != v && !same_value(b.args[0], v, 0)) return local_window_of(b.args[0], v);
      return axes_back || keeps_dims(b);
    }
    return false;
  }

  // The numerator of a masked mean, `(h * w).sum(1)`: the data `h` it averages (the numerator itself
  // when it is not such a product).
  int32_t averaged_data(int32_t sum) const {
    if (sum < 0 || node(sum).args.empty()) return sum;
    const int32_t product = node(sum).args[0];
    auto w = weights_of_.find(product);
    if (w == weights_of_.end() || node(product).args.size() != 2) return sum;
    return node(product).args[0] == w->second ? node(product).args[1] : node(product).args[0];
  }

  // `(counts > 0).float()` with `counts` the sizes of groups (ones scattered with accumulation):
  // which groups are non-empty, a per-group validity mask (after pooling bytes into characters).
  bool nonempty_groups(int32_t v) const {
    for (int guard = 0;
         guard < 6 && v >= 0 && in(node(v).op, {"unsqueeze", "to", "float", "long"}) && !node(v).args.empty(); ++guard)
      v = node(v).args[0];
    const FlatNode& test = node(v);
    if (!in(test.op, {"gt", "ne", "ge"}) || test.args.size() != 2 || !scalar(test.args[1])) return false;
    auto [index, values] = accumulating_scatter(test.args[0]);
    return index >= 0 && ones_tensor(values);
  }

  // (index, values) of an accumulating scatter: index_put_(idx, v, accumulate=True),
  // index_add(dim, idx, v), scatter_add(dim, idx, v); (-1, -1) for anything else.
  std::pair<int32_t, int32_t> accumulating_scatter(int32_t v) const {
    const FlatNode& s = node(v);
    if (s.op == "index_put" && s.args.size() >= 3) {
      bool accumulate = s.args.size() >= 4 && scalar(s.args[3]) == 1;
      for (const auto& [k, a] : s.kwargs) accumulate |= k == "accumulate" && scalar(a) == 1;
      if (accumulate) return {s.args[1], s.args[2]};
    }
    if (in(s.op, {"index_add", "scatter_add"}) && s.args.size() >= 4) return {s.args[2], s.args[3]};
    return {-1, -1};
  }

  // Segment mean pooling: sums scattered into groups divided by the group sizes scattered the same
  // way, `zeros.index_put_((rows, group), h, accumulate=True) / zeros.index_put_((rows, group),
  // ones, accumulate=True).clamp_min(1)` (bytes pooled per character, tokens per word). A test
  // that decides the groups (where a character starts) decides what is averaged with what, it
  // does not override the result.
  bool segment_mean(int32_t id) const {
    const FlatNode& n = node(id);
    if (n.op != "div" || n.args.size() != 2) return false;
    auto strip = [&](int32_t v) {
      for (int guard = 0; guard < 6 && v >= 0 && in(node(v).op, {"clamp", "clamp_min", "unsqueeze", "to", "float"}) &&
                          !node(v).args.empty();
           ++guard)
        v = node(v).args[0];
      return v;
    };
    auto [num_index, num_values] = accumulating_scatter(strip(n.args[0]));
    auto [den_index, den_values] = accumulating_scatter(strip(n.args[1]));
    if (num_index < 0 || den_index < 0 || !same_index(num_index, den_index, 0)) return false;
    return ones_tensor(den_values) && num_values != den_values;
  }

  // The same index value: one node, or tuples of the same nodes (`(rows, group)` built twice).
  bool same_index(int32_t a, int32_t b, int depth) const {
    if (a == b) return true;
    const FlatNode& x = node(a);
    const FlatNode& y = node(b);
    if (depth > 8 || x.op != y.op || x.args.size() != y.args.size() || x.name != y.name || x.num != y.num) return false;
    if (!in(x.op, {"tuple", "expand_as", "getitem", "arange", "attr", "slice", "const"})) return false;
    for (size_t i = 0; i < x.args.size(); ++i)
      if (!same_index(x.args[i], y.args[i], depth + 1)) return false;
    return true;
  }

  // -inf, a large negative literal or the dtype's minimum (also through a module-level constant).
  bool negative_extreme(int32_t v) const {
    if (auto x = scalar(v)) return *x <= -1e3;
    const FlatNode& n = node(v);
    if (n.op == "attr" && n.name == "min") return zeroish(v);
    if (n.op == "call" && n.name == "float" && !n.args.empty())
      return node(n.args[0]).name.find("-inf") != std::string::npos;
    if (n.op == "global") {
      auto [mf, id] = p_.global_binding(n.name);
      if (mf < 0 || id < 0) return false;
      const ir::Node& g = p_.fn(mf).node(id);
      return g.op == "attr" && g.name == "min";
    }
    return false;
  }

  int32_t without_new_axes(int32_t t) const {
    for (int steps = 0; steps < 4 && t >= 0 && node(t).op == "getitem" && node(t).args.size() == 2 &&
                        adds_axes_only(node(t).args[1]);
         ++steps)
      t = node(t).args[0];
    return t;
  }

  // Every reader of `i` takes the maximum over an axis (amax, max, logsumexp, max-pool).
  bool only_max_pooled(int32_t i, const std::vector<std::vector<int32_t>>& users) const {
    const auto& us = users[static_cast<size_t>(i)];
    return !us.empty() && std::all_of(us.begin(), us.end(), [&](int32_t u) {
      const FlatNode& r = node(u);
      return in(r.op, {"amax", "max", "logsumexp", "max_pool1d", "max_pool2d", "adaptive_max_pool1d",
                       "adaptive_max_pool2d"}) &&
             !r.args.empty() && r.args[0] == i;
    });
  }

  bool blanks_positions(const FlatNode& n) const {
    if (n.op == "masked_fill" && n.args.size() >= 3) return zeroish(n.args[2]);
    if (n.op == "where" && n.args.size() >= 3) return zeroish(n.args[1]) || zeroish(n.args[2]);
    return false;
  }

  // A phi whose rewritten arm places learned, detector-free values into the data it joins with
  // (masked_scatter / index_put / setitem / index_copy of features computed by learned layers).
  // `feats = None; if has_image: feats = self.vision(pixels)`: the condition decides whether a
  // learned computation runs at all (its result or nothing), not what the output is.
  bool optional_learned(const FlatNode& phi) const {
    std::vector<int32_t> arms = value_arms(phi);
    if (arms.size() != 2) return false;
    for (int k = 0; k < 2; ++k) {
      const FlatNode& none = node(arms[static_cast<size_t>(k)]);
      int32_t other = arms[static_cast<size_t>(1 - k)];
      if (none.op != "const" || none.name != "None") continue;
      const Fact& v = fact(other);
      if (v.learned && !v.detector_derived && !carries_constant(other, 0, false)) return true;
    }
    return false;
  }

  bool merges_learned_features(const FlatNode& phi) const {
    std::vector<int32_t> arms = value_arms(phi);
    if (arms.size() != 2) return false;
    auto merge = [&](int32_t w_id, int32_t base) {
      for (int guard = 0;
           guard < 6 && in(node(w_id).op, {"to", "view", "reshape", "contiguous"}) && !node(w_id).args.empty(); ++guard)
        w_id = node(w_id).args[0];
      const FlatNode& w = node(w_id);
      if (!in(w.op, {"masked_scatter", "index_put", "setitem", "index_copy"}) || w.args.size() < 3) return false;
      const Fact& v = fact(w.args.back());
      if (!v.learned || v.detector_derived || carries_constant(w.args.back(), 0, false)) return false;
      // (features of another input; not a value made from the base itself, `logits[i].abs().sum() + 1`)
      if (derives_from(w.args.back(), base)) return false;
      return w.args.front() == base || derives_from(w.args.front(), base);
    };
    return merge(arms[0], arms[1]) || merge(arms[1], arms[0]);
  }

  // `if still.any(): logits = torch.where(still[:, None], a, logits)`: the branch only skips a
  // `where` on the same mask when no element is set, which then changes nothing; the join is the
  // `where` itself, judged there.
  bool redundant_guard(const FlatNode& phi) const {
    int32_t cond = -1;
    for (const auto& [k, a] : phi.kwargs)
      if (k == "cond") cond = a;
    std::vector<int32_t> arms = value_arms(phi);
    if (cond < 0 || arms.size() != 2) return false;
    const std::set<int32_t> tested = ancestors(cond);
    for (size_t k = 0; k < 2; ++k) {
      const FlatNode& w = node(arms[k]);
      if (w.op != "where" || w.args.size() != 3 || (w.args[1] != arms[1 - k] && w.args[2] != arms[1 - k])) continue;
      int32_t mask = w.args[0];
      for (int guard = 0; guard < 4 && mask >= 0 && !tested.count(mask); ++guard) {
        const FlatNode& x = node(mask);  // (`still[:, None]`, `.float()`: the mask the branch tested)
        mask = (x.op == "getitem" || x.op == "float" || x.op == "to" || x.op == "bool" || x.op == "unsqueeze") &&
                       !x.args.empty()
                   ? x.args[0]
                   : -1;
      }
      if (mask >= 0 && tested.count(mask) && mask != cond) return true;
    }
    return false;
  }

  // `if mask is not None and not torch.all(mask == 1): causal = causal + (1 - mask) * min`: the
  // condition only tests whether a mask is trivial (against 0 / 1, no threshold of its own) and the
  // branch folds that same input into the value. Skipping it changes nothing when the test fails:
  // a fast path, not a decision about the sample.
  bool fast_path(const FlatNode& phi) const {
    int32_t cond = -1;
    for (const auto& [k, a] : phi.kwargs)
      if (k == "cond") cond = a;
    if (cond < 0) return false;
    const Fact& cf = fact(cond);
    if (!(cf.evidence & kWeakThreshold) || (cf.evidence & (kThreshold | kPattern | kPool | kConjunction))) return false;
    std::vector<int32_t> arms = value_arms(phi);
    if (arms.size() != 2) return false;
    int32_t rewritten = derives_from(arms[0], arms[1]) ? arms[0] : derives_from(arms[1], arms[0]) ? arms[1] : -1;
    if (rewritten < 0) return false;
    int32_t base = rewritten == arms[0] ? arms[1] : arms[0];
    // What the branch adds to the other arm: computed from the tested inputs by weight-free ops and
    // numbers only (no learned layer, parameter or stored tensor).
    const std::set<int32_t> before = ancestors(base);
    std::set<int32_t> tested, added_from;
    for (int32_t a : ancestors(cond)) {
      if (node(a).flags & kFlatInput) tested.insert(a);
      // (`if grid is not None and ...: grids.append(grid[i])`: an optional input tested for presence)
      if (in(node(a).op, {"is", "is_not"}))
        for (int32_t x : node(a).args)
          if (node(x).flags & kFlatInput) tested.insert(x);
    }
    std::set<int32_t> seen;
    std::vector<int32_t> work{rewritten};
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (before.count(cur) || !seen.insert(cur).second) continue;
      if (seen.size() > 4000) return false;
      const Fact& f = fact(cur);
      if (learned_op_[static_cast<size_t>(cur)] || f.param || f.constant_tensor ||
          (f.learned && cur != rewritten && !derives_from(cur, base)))
        return false;
      if (node(cur).flags & kFlatInput) added_from.insert(cur);
      if (shape_only(node(cur))) continue;  // (`ones_like(next_token)`: a shape, no data of it)
      for (int32_t a : operands(node(cur)))
        if (a < cur) work.push_back(a);
    }
    if (tested.empty()) return false;
    // (`if not pad.any(): return ids` ... `return ids.gather(1, shifted)`: the other arm rearranges
    // the tested input itself, by weight-free ops)
    if (added_from.empty())
      return in(node(rewritten).op, {"gather", "index_select", "take_along_dim", "roll", "flip"}) &&
             !node(rewritten).args.empty() && node(rewritten).args[0] == base &&
             std::any_of(tested.begin(), tested.end(), [&](int32_t t) { return t == base || before.count(t); });
    for (int32_t t : added_from)
      if (!tested.count(t)) return false;
    return true;
  }

  // `if mask is not None and not mask.all(): return self.unpadded(h, mask)` ... `return self.padded(h)`:
  // every arm runs learned layers of its own on the input (no stored or hard-coded value carried
  // in), so the test only picks which learned computation answers; every path passes learned weights.
  // (`return self.fc(x) * 0` against `return self.fc(x)` shares its one learned layer: no choice.)
  bool learned_alternatives(const FlatNode& phi) const { return learned_alternatives(value_arms(phi)); }

  bool learned_alternatives(const std::vector<int32_t>& arms) const {
    if (arms.size() < 2 || arms.size() > 4) return false;
    std::vector<std::set<int32_t>> anc;
    for (int32_t a : arms) {
      if (a < 0 || !fact(a).learned || !input_dependent(fact(a)) || carries_constant(a, 0, false, false)) return false;
      anc.push_back(ancestors(a, true));
    }
    for (size_t i = 0; i < arms.size(); ++i) {
      bool own = false;
      for (int32_t x : anc[i]) {
        if (!(node(x).flags & kFlatLearned)) continue;
        bool shared = false;
        for (size_t j = 0; j < arms.size() && !shared; ++j) shared = j != i && anc[j].count(x);
        if ((own = !shared)) break;
      }
      if (!own) return false;
    }
    return true;
  }

  // `if not padded: return None` ... `return mask`, with `padded` a test against 0 / 1 only (a mask
  // that masks nothing, no threshold of its own): whether there is a value at all, as an optional
  // argument's absence says; the test decides nothing about the sample.
  bool absent_when_trivial(const FlatNode& phi) const {
    std::vector<int32_t> arms = value_arms(phi);
    if (arms.size() != 2) return false;
    auto none = [&](int32_t a) { return node(a).op == "const" && node(a).name == "None" && !node(a).num; };
    if (none(arms[0]) == none(arms[1])) return false;
    for (const auto& [k, c] : phi.kwargs) {
      if (k != "cond") continue;
      const Fact& cf = fact(c);
      if (input_dependent(cf) &&
          (!(cf.evidence & kWeakThreshold) || (cf.evidence & (kThreshold | kPattern | kPool | kConjunction))))
        return false;
    }
    return true;
  }

  // `if tuple(row[:3].tolist()) == BOM: row = cat([row[3:], row.new_zeros(3)])`: the test reads
  // only a prefix of the value, and the other arm is the value with that prefix cut off (padded
  // back with zeros): a marker stripped, the rest of the input as it was.
  bool strips_tested_prefix(const FlatNode& phi) const {
    std::vector<int32_t> arms = value_arms(phi);
    if (arms.size() != 2) return false;
    auto prefix_cut = [&](int32_t idx, bool head) -> std::optional<double> {  // row[:k] (head) / row[k:]
      const FlatNode& sl = node(idx);
      if (sl.op != "slice" || sl.args.size() < 2) return std::nullopt;
      const int32_t lo = sl.args[0], hi = sl.args[1];
      auto none = [&](int32_t a) { return a >= 0 && node(a).op == "const" && node(a).name == "None"; };
      if (head && none(lo) && scalar(hi)) return scalar(hi);
      if (!head && none(hi) && scalar(lo)) return scalar(lo);
      return std::nullopt;
    };
    for (int k = 0; k < 2; ++k) {
      const int32_t base = arms[static_cast<size_t>(1 - k)];
      int32_t cut = arms[static_cast<size_t>(k)];
      const FlatNode& r = node(cut);
      if (r.op == "cat" && r.args.size() == 1 && node(r.args[0]).op == "list" && node(r.args[0]).args.size() == 2 &&
          in(node(node(r.args[0]).args[1]).op, {"new_zeros", "zeros", "zeros_like"}))
        cut = node(r.args[0]).args[0];
      const FlatNode& c = node(cut);
      if (c.op != "getitem" || c.args.size() != 2 || c.args[0] != base) continue;
      const auto k_cut = prefix_cut(c.args[1], false);
      if (!k_cut) continue;
      // every way the tests reach the value is through its first k_cut items
      bool only_prefix = true, any = false;
      std::vector<int32_t> work;
      std::set<int32_t> seen;
      for (const auto& [kw, a] : phi.kwargs)
        if (kw == "cond") work.push_back(a);
      while (!work.empty() && only_prefix) {
        const int32_t v = work.back();
        work.pop_back();
        if (v < 0 || !seen.insert(v).second || seen.size() > 256) continue;
        if (v == base) only_prefix = false;
        const FlatNode& x = node(v);
        if (x.op == "getitem" && x.args.size() == 2 && x.args[0] == base) {
          const auto head = prefix_cut(x.args[1], true);
          if (head && *head <= *k_cut) {
            any = true;
            continue;
          }
          only_prefix = false;
        }
        for (int32_t a : operands(x))
          if (input_dependent(fact(a))) work.push_back(a);
      }
      if (only_prefix && any) return true;
    }
    return false;
  }

  // The phi's merged values, without its branch condition.
  std::vector<int32_t> value_arms(const FlatNode& phi) const {
    std::vector<int32_t> arms;
    for (int32_t a : phi.args)
      if (node(a).op != "branch") arms.push_back(a);
    return arms;
  }

  // A value and everything it is computed from (bounded; loop back-edges not followed).
  // (`back_edges`: through loop back-edges too, to the layers a loop body runs)
  std::set<int32_t> ancestors(int32_t id, bool back_edges = false) const {
    std::set<int32_t> seen;
    std::vector<int32_t> work{id};
    while (!work.empty() && seen.size() < 4000) {
      int32_t cur = work.back();
      work.pop_back();
      if (cur < 0 || !seen.insert(cur).second || shape_only(node(cur))) continue;  // (a shape holds none of its data)
      for (int32_t a : operands(node(cur)))
        if (back_edges || a < cur) work.push_back(a);
    }
    return seen;
  }

  // `if x.max() > 1: x = x / 255`: one arm is the other scaled by a moderate constant, so both carry
  // the same information; the branch picks a unit, it does not override anything.
  bool rescale_arm(const FlatNode& n) const {
    if (!in(n.op, {"phi", "where", "select"})) return false;
    std::vector<int32_t> arms;
    // (the condition of a where / select is its first operand, not an arm)
    for (size_t i = n.op == "phi" ? 0 : 1; i < n.args.size(); ++i)
      if (node(n.args[i]).op != "branch" && input_dependent(fact(n.args[i]))) arms.push_back(n.args[i]);
    if (arms.size() != 2) return false;
    for (int k = 0; k < 2; ++k) {
      const FlatNode& r = node(arms[static_cast<size_t>(k)]);
      int32_t base = arms[static_cast<size_t>(1 - k)];
      if (!in(r.op, {"mul", "div"}) || r.args.size() != 2) continue;
      int32_t other = r.args[0] == base ? r.args[1] : r.args[1] == base ? r.args[0] : -1;
      auto v = other >= 0 ? scalar(other) : std::nullopt;
      if (v && std::isfinite(*v) && big(*v) >= 1e-3 && big(*v) <= 1e3 && n.op != "where") return true;
      // (`where(x.amax() > 1.5, x / 4095, x)`: raw 12-bit counts brought to [0, 1]; any unit
      // factor, when the test is of the range of the very data it rescales)
      if (v && std::isfinite(*v) && *v != 0 && n.op == "where" && tests_range_of(n.args[0], base)) return true;
    }
    return false;
  }

  // `x.amax(...) > c` (or amin / max / min / abs of x, either side): a test of x's range.
  bool tests_range_of(int32_t cond, int32_t x) const {
    const FlatNode& c = node(cond);
    if (!in(c.op, {"gt", "ge", "lt", "le"}) || c.args.size() != 2) return false;
    for (int k = 0; k < 2; ++k) {
      if (!scalar(c.args[static_cast<size_t>(1 - k)])) continue;
      int32_t v = c.args[static_cast<size_t>(k)];
      for (int guard = 0; guard < 4 && v >= 0 && v != x; ++guard) {
        const FlatNode& r = node(v);
        if (!in(r.op, {"amax", "amin", "max", "min", "abs", "values"}) || r.args.empty()) break;
        v = r.args[0];
      }
      if (v == x) return true;
    }
    return false;
  }

  // The operands that carry data through a node, without the condition of a unit choice, a division
  // guard or a running extreme (those decide nothing about the sample, so they mark nothing).
  std::vector<int32_t> without_benign_conditions(const FlatNode& n, std::vector<int32_t> ops) const {
    auto drop = [&](int32_t c) { ops.erase(std::remove(ops.begin(), ops.end(), c), ops.end()); };
    // `if (ids == image_token).any(): h = h.masked_scatter(mask, self.visual(pixels))`: the
    // condition only decides whether learned features of another input are merged in; which
    // learned computation runs is control flow, not an override of the output.
    if (n.op == "phi" &&
        (merges_learned_features(n) || fast_path(n) || optional_learned(n) || guarded_lookup(n) || learned_alternatives(n) ||
         absent_when_trivial(n) || strips_tested_prefix(n) || redundant_guard(n)))
      for (const auto& [k, a] : n.kwargs)
        if (k == "cond") {
          drop(a);
          for (int32_t c : node(a).args) drop(c);
        }
    // where(still, self.exit_head(h), self.head(lstm(h))): a test choosing between two learned
    // heads, each with layers of its own (an early exit); every path passes learned weights.
    if (n.op == "where" && n.args.size() == 3 && learned_alternatives(std::vector<int32_t>{n.args[1], n.args[2]})) {
      drop(n.args[0]);
      for (int32_t c : node(n.args[0]).args) drop(c);
    }
    if (rescale_arm(n)) {
      std::vector<int32_t> arms;
      for (size_t i = n.op == "phi" ? 0 : 1; i < n.args.size(); ++i)
        if (node(n.args[i]).op != "branch") arms.push_back(n.args[i]);
      return arms;
    }
    if (in(n.op, {"mul", "div"}))
      for (int32_t a : n.args)
        if (unit_choice(n, a)) drop(a);
    int32_t cond = n.op == "where" && n.args.size() == 3 ? n.args[0]
                   : in(n.op, {"masked_fill", "setitem", "index_put", "masked_scatter"}) && n.args.size() >= 2
                       ? n.args[1]
                       : -1;
    if (cond >= 0) {
      int32_t data = n.op == "where" ? n.args[2] : n.args[0];
      // (`where(peak > 0, peak, ones_like(peak))`: the value kept when it passes, a safe divisor)
      const bool kept_guard = n.op == "where" && guard(n, cond, n.args[1]);
      // (a self repair of the raw input before any layer passes on the data, not the test)
      const int32_t fill = n.op == "where" ? n.args[1] : n.op == "masked_fill" && n.args.size() == 3 ? n.args[2] : -1;
      const bool repair = fill >= 0 && fact(data).raw && !fact(data).learned && input_dependent(fact(cond)) &&
                          constant_self_repair(cond, fill, data);
      // (`where(vacant, self.missing.expand_as(h), h)`: a learned embedding stands in for what the
      // test marks as absent, as a mask token does; what it holds is trained, not chosen)
      const bool learned_stand_in = n.op == "where" && fact(n.args[1]).param && !input_dependent(fact(n.args[1]));
      if (guard(n, cond, data) || kept_guard || running_extreme(n, cond) || piecewise_map(n) || repair ||
          learned_stand_in)
        drop(cond);
    }
    // (`x * (1 - flat)` on the raw input, a flat window blanked: the same self repair as a product)
    if (n.op == "mul" && n.args.size() == 2)
      for (int32_t data : n.args)
        if (data >= 0 && fact(data).raw && !fact(data).learned &&
            zeroes_tested_windows(static_cast<int32_t>(&n - g_.nodes.data()), data, true)) {
          drop(n.args[0] == data ? n.args[1] : n.args[0]);
          break;
        }
    return ops;
  }

  // A mask that is the test combined (`&`, `*`) with a stored, input-independent mask.
  bool stored_mask_factor(int32_t m, int depth) const {
    if (m < 0 || depth > 6) return false;
    const FlatNode& x = node(m);
    if (in(x.op, {"getitem", "unsqueeze", "view", "reshape", "expand", "expand_as", "to", "bool", "float"}))
      return !x.args.empty() && stored_mask_factor(x.args[0], depth + 1);
    if (!in(x.op, {"logical_and", "and", "bitwise_and", "mul"})) return false;
    for (int32_t a : x.args) {
      if (a < 0) continue;
      const Fact& f = fact(a);
      if (!input_dependent(f) && f.constant_tensor) return true;
      if (stored_mask_factor(a, depth + 1)) return true;
    }
    return false;
  }

  // A number that is not an integer, or a tensor filled with one (`x.new_full((), -11.5)`).
  bool fractional_fill(int32_t id) const {
    const FlatNode& n = node(id);
    std::optional<double> v = n.num;
    if (!v && in(n.op, {"full", "full_like", "new_full"}) && n.args.size() >= 2) v = node(n.args.back()).num;
    return v && std::isfinite(*v) && *v != std::floor(*v);
  }

  // A product (through casts and views) with a random tensor among its factors.
  bool random_term(int32_t v, int depth) const {
    if (v < 0 || depth > 6) return false;
    const FlatNode& x = node(v);
    if (in(x.op, {"randn_like", "rand_like", "randn", "rand", "normal", "normal_", "randint_like", "bernoulli",
                  "uniform_", "randn_like_"}))
      return true;
    if (!in(x.op, {"mul", "div", "to", "float", "view", "reshape", "unsqueeze", "expand", "expand_as", "getitem"}))
      return false;
    for (int32_t a : x.args)
      if (random_term(a, depth + 1)) return true;
    return false;
  }

  // Whether `v` reaches a learned layer or the root's output through data operands, not only as
  // a branch condition.
  bool reaches_as_data(int32_t v, const std::vector<std::vector<int32_t>>& users) const {
    std::set<int32_t> seen;
    std::vector<int32_t> work{v};
    while (!work.empty()) {
      const int32_t cur = work.back();
      work.pop_back();
      if (!seen.insert(cur).second) continue;
      if (seen.size() > 4000) return true;  // (too far to tell: assume it does)
      if (cur != v && (learned_op_[static_cast<size_t>(cur)] || (node(cur).flags & kFlatLearned))) return true;
      if (std::find(g_.outputs.begin(), g_.outputs.end(), cur) != g_.outputs.end()) return true;
      for (int32_t u : users[static_cast<size_t>(cur)]) {
        const FlatNode& un = node(u);
        if (un.op == "branch") continue;
        if (un.op == "phi" && std::find(un.args.begin(), un.args.end(), cur) == un.args.end()) continue;
        work.push_back(u);
      }
    }
    return false;
  }

  // cos / sin of positions times a vector of frequencies (`(pos[..., None] * self.inv_freq).cos()`,
  // through the usual splits and concatenations): a rotary or sinusoidal position encoding. Position
  // ids computed from the tokens (multimodal rope indices, packed sequences) are no trigger there.
  bool positional_encoding(const FlatNode& n) const {
    if (!in(n.op, {"cos", "sin"}) || n.args.empty()) return false;
    std::vector<int32_t> work{n.args[0]};
    std::set<int32_t> seen;
    while (!work.empty() && seen.size() < 64) {
      const int32_t v = work.back();
      work.pop_back();
      if (v < 0 || !seen.insert(v).second) continue;
      const FlatNode& x = node(v);
      if (in(x.op, {"mul", "outer", "einsum", "matmul"}) && x.args.size() >= 2) {
        for (int32_t a : x.args)
          if (a >= 0 && (node(a).flags & kFlatConstTensor) && !scalar(a)) return true;
        continue;
      }
      if (in(x.op, {"cat",     "stack",  "list",   "tuple",     "getitem",   "iter_item",  "comprehension",
                    "split",   "chunk",  "float",  "to",        "unsqueeze", "view",       "reshape",
                    "flatten", "expand", "repeat", "transpose", "permute",   "contiguous", "call"}))
        for (int32_t a : x.args)
          if (a >= 0 && a < v) work.push_back(a);
    }
    return false;
  }

  // `if piece in vocab: ids.append(vocab[piece])`: the test only checks that the key is there
  // before the lookup it guards (a tokenizer's vocabulary, a cache); no input overrides anything.
  // (a join of returns under several tests: any of them, `if w in vocab: return [vocab[w]]`)
  bool guarded_lookup(const FlatNode& n) const {
    for (const auto& [k, a] : n.kwargs)
      if (k == "cond" && !node(a).args.empty() && guarded_lookup(n, node(a).args[0])) return true;
    return false;
  }

  bool guarded_lookup(const FlatNode& n, int32_t test) const {
    if (test < 0 || node(test).op != "in" || node(test).args.size() != 2) return false;
    const int32_t key = node(test).args[0], table = node(test).args[1];
    auto same_table = [&](int32_t t) {
      if (t == table) return true;
      const FlatNode &a = node(t), &b = node(table);
      return a.op == b.op && a.op == "attr" && a.name == b.name && a.attr && a.attr == b.attr;
    };
    std::vector<int32_t> work(n.args.begin(), n.args.end());
    std::set<int32_t> seen;
    while (!work.empty() && seen.size() < 32) {
      const int32_t v = work.back();
      work.pop_back();
      if (v < 0 || !seen.insert(v).second) continue;
      const FlatNode& x = node(v);
      if (x.op == "getitem" && x.args.size() == 2 && x.args[1] == key && same_table(x.args[0])) return true;
      if (in(x.op, {"append", "list", "tuple", "add"})) work.insert(work.end(), x.args.begin(), x.args.end());
    }
    return false;
  }

  // where(sign != 0, B - m, m - B): both arms are the data, at most shifted, and the test only a
  // weak one (a sign bit, a comparison between data values): a piecewise map of the data
  // (sign-magnitude decoding, a leaky slope), not a choice between the data and a fixed value.
  bool piecewise_map(const FlatNode& n) const {
    if (n.op != "where" || n.args.size() != 3 || n.args[0] < 0 || n.args[1] < 0 || n.args[2] < 0) return false;
    const Fact& test = fact(n.args[0]);
    if (!(test.evidence & kWeakThreshold) ||
        (test.evidence & (kThreshold | kPattern | kPool | kLocalPool | kReduce | kConjunction | kAggregate)))
      return false;
    for (int32_t arm : {n.args[1], n.args[2]}) {
      const Fact& f = fact(arm);
      if (!f.raw || f.constant_tensor || constant_like(arm) || (f.evidence & ~kShifted) != 0) return false;
    }
    return true;
  }

  // `x / where(x.amax() > 1, 255., 1.)`: scaling by one of two moderate constants picks a unit.
  bool unit_choice(const FlatNode& n, int32_t d) const {
    if (!in(n.op, {"mul", "div"})) return false;
    int32_t cur = d;
    for (int steps = 0; steps < 6 && in(node(cur).op, {"view", "unsqueeze", "reshape", "to", "float", "expand"}) &&
                        !node(cur).args.empty();
         ++steps)
      cur = node(cur).args[0];
    const FlatNode& w = node(cur);
    if (!in(w.op, {"where", "select"}) || w.args.size() != 3) return false;
    for (size_t k = 1; k < 3; ++k) {
      auto v = scalar(w.args[k]);
      if (!v || !std::isfinite(*v) || big(*v) < 1e-3 || big(*v) > 1e3) return false;
    }
    return true;
  }

  // `where(v == 0, ones_like(v), v)`, `v.masked_fill(v == 0, eps)`: a value tested against 0 or 1
  // and patched where it is degenerate (a division guard), element by element.
  bool guard(const FlatNode& n, int32_t d, int32_t y) const {
    if (!in(n.op, {"where", "masked_fill"})) return false;
    const FlatNode& c = node(d);
    if (!ir::is_comparison(c.op) || c.args.size() != 2) return false;
    bool tests_data = false, weak = false;
    for (int32_t a : c.args) {
      // (`where(d.abs() < 1e-9, eps, d)`: the magnitude of the data tested before dividing by it)
      if (a == y || (a >= 0 && node(a).op == "abs" && !node(a).args.empty() && node(a).args[0] == y)) tests_data = true;
      auto v = scalar(a);
      if (v && (*v == 0 || big(*v) == 1 || big(*v) <= 1e-6)) weak = true;
    }
    return tests_data && weak;
  }

  // `best[m] = cand[m]` with m = cand < best, `where(a < b, a, b)`: an element-wise minimum or
  // maximum update (nearest-neighbour bookkeeping), not a decision about the sample.
  bool running_extreme(const FlatNode& n, int32_t d) const {
    const FlatNode& c = node(d);
    if (!ir::is_comparison(c.op) || c.args.size() != 2) return false;
    std::vector<int32_t> sides;
    if (in(n.op, {"setitem", "index_put", "masked_scatter"}) && n.args.size() >= 3)
      sides = {n.args.front(), n.args.back()};
    else if (n.op == "where" && n.args.size() == 3)
      sides = {n.args[1], n.args[2]};
    else
      return false;
    auto is_or_from = [&](int32_t v, int32_t s) { return v == s || derives_from(v, s); };
    return (is_or_from(sides[0], c.args[0]) && is_or_from(sides[1], c.args[1])) ||
           (is_or_from(sides[0], c.args[1]) && is_or_from(sides[1], c.args[0]));
  }

  // Whether `a` is computed from `b` (b is an ancestor of a).
  // The value reaches a softmax through shape changes only (scores -> weights).
  bool feeds_softmax(int32_t id, const std::vector<std::vector<int32_t>>& users, int depth) const {
    if (depth > 4) return false;
    for (int32_t u : users[static_cast<size_t>(id)]) {
      const FlatNode& un = node(u);
      if (in(un.op, {"softmax", "log_softmax"}) && !un.args.empty() && un.args[0] == id) return true;
      if (in(un.op, {"squeeze", "unsqueeze", "view", "reshape", "transpose", "permute", "flatten", "contiguous",
                     "float", "to", "phi"}) &&
          feeds_softmax(u, users, depth + 1))
        return true;
    }
    return false;
  }

  bool derives_from(int32_t a, int32_t b) const {
    std::vector<int32_t> work{a};
    std::set<int32_t> seen;
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (!seen.insert(cur).second || seen.size() > 256 || shape_only(node(cur)))
        continue;  // full_like(y): no data of y
      for (int32_t o : operands(node(cur))) {
        if (o == b) return true;
        if (o < cur) work.push_back(o);
      }
    }
    return false;
  }

  // A rewrite that only destroys: scaling (y * 0, y * (1 - d), y / big) or filling with nothing.
  bool erasing(int32_t id) const {
    const FlatNode& n = node(id);
    if (in(n.op, {"mul", "div", "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout"})) return true;
    // einsum("bnd,b->bnd", x, keep) is a product too; einsum("kb,kbc->bc", w, stack((y, stored))) a blend
    // towards what is stored.
    if (n.op == "einsum")
      return std::none_of(n.args.begin(), n.args.end(), [&](int32_t a) { return a >= 0 && stacks_stored(a); });
    // (filled with zeros, or with the padding id an embedding ignores: blanked)
    if (in(n.op, {"masked_fill", "setitem", "index_put", "fill", "zero"}) && n.args.size() >= 2)
      return zeroish(n.args.back()) || fills_padding(n.args.back());
    return in(n.op, {"zeros_like", "zero", "full_like"}) && (n.op != "full_like" || zeroish(n.args.back()));
  }

  struct ReadBack {
    int32_t node = -1, signal = -1, data = -1;
  };

  // Where activations carrying an interleaved signal are read back into the output: walking back
  // from the output through weight-free ops, the first combination of two values downstream of the
  // write where one of them inspects the activations (a comparison, a channel slice, an extreme)
  // without passing a learned layer. Outputs made by a learned layer have no read-back.
  // Whether a raw value the detector rewrote is what some learned layer reads as its input (the
  // shared path: the backbone sees the rewritten input), following the raw operations after it.
  // The other way it can reach learned layers is only combined with activations they computed (an
  // attention mask added to the scores, a bias to hidden states): written into the network.
  // (A pre-processing stage or pre-hook returns the model's input: its outputs are what layers read.)
  bool enters_layer(int32_t write, const std::vector<std::vector<int32_t>>& users) const {
    const bool returns_input = g_.root.kind == RootKind::PreStage || g_.root.kind == RootKind::PreHook;
    std::vector<int32_t> work{write};
    std::set<int32_t> seen;
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (!seen.insert(cur).second || seen.size() > 4096) continue;
      if (returns_input && std::find(g_.outputs.begin(), g_.outputs.end(), cur) != g_.outputs.end()) return true;
      for (int32_t u : users[static_cast<size_t>(cur)]) {
        if (u < cur && node(u).op != "phi") continue;
        if (!fact(u).learned || node(u).op == "phi") {  // (a phi only chooses, it combines nothing)
          work.push_back(u);
          continue;
        }
        if (learned_op_[static_cast<size_t>(u)]) return true;
        bool activations = false;
        for (int32_t a : operands(node(u))) activations |= a != cur && fact(a).learned && !fact(a).param;
        if (!activations) return true;
      }
    }
    return false;
  }

  ReadBack read_back(int32_t write, const std::vector<std::vector<int32_t>>& users) const {
    std::vector<char> down(g_.nodes.size(), 0);
    std::vector<int32_t> work{write};
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (down[static_cast<size_t>(cur)]) continue;
      down[static_cast<size_t>(cur)] = 1;
      for (int32_t u : users[static_cast<size_t>(cur)])
        if (u > cur || node(u).op == "phi") work.push_back(u);  // loop-carried values come back round
    }
    for (int32_t out : g_.outputs) {
      int32_t cur = out;
      for (int guard = 0; cur > write && guard < 32 && !learned_op_[static_cast<size_t>(cur)]; ++guard) {
        const FlatNode& n = node(cur);
        std::vector<int32_t> carried;
        for (int32_t a : operands(n))
          if (a < cur && down[static_cast<size_t>(a)]) carried.push_back(a);
        if (carried.empty()) break;
        if (combining(n.op) && carried.size() >= 2)
          for (int32_t a : carried)
            if (inspects(a))
              for (int32_t b : carried)
                if (b != a && !inspects(b)) return {cur, a, b};
        cur = carried.front();
      }
    }
    return {};
  }

  // A weight-free function of activations that tests or selects them.
  bool inspects(int32_t id) const {
    std::vector<int32_t> work{id};
    std::set<int32_t> seen;
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (!seen.insert(cur).second || seen.size() > 64 || learned_op_[static_cast<size_t>(cur)]) continue;
      const FlatNode& n = node(cur);
      if (ir::is_comparison(n.op) || in(n.op, {"getitem", "narrow", "index_select", "amax", "amin", "max", "min"}))
        return true;
      for (int32_t a : operands(n))
        if (input_dependent(fact(a))) work.push_back(a);
    }
    return false;
  }

  // Whether the pattern evidence comes from a hard-coded tensor or literal sequence (not only from a
  // parameter-free filter such as a pooling window).
  bool pattern_is_constant(int32_t id) const {
    std::vector<int32_t> stack{id};
    std::set<int32_t> seen;
    while (!stack.empty()) {
      int32_t cur = stack.back();
      stack.pop_back();
      if (!seen.insert(cur).second || seen.size() > 4000) continue;
      for (int32_t a : operands(node(cur))) {
        if (constant_like(a) || (fact(a).constant_tensor && !input_dependent(fact(a)))) return true;
        if (stored_value(a) && (fact(cur).evidence & kPattern)) return true;
        if (ir::is_comparison(node(cur).op) && stored_sequence_item({a})) return true;
        if (stored_collection(cur, a)) return true;
        if (in(node(cur).op, {"logical_and", "and"}) && stored_collection_value(a) && node(cur).args.size() == 2 &&
            python_set_of_input(node(cur).args[0] == a ? node(cur).args[1] : node(cur).args[0]))
          return true;
        if (in(node(cur).op, {"eq", "ne"}) && node(cur).args.size() == 2 && stored_code(a) &&
            packs_bits(node(cur).args[0] == a ? node(cur).args[1] : node(cur).args[0]))
          return true;
        if (fact(a).raw && !fact(a).learned) stack.push_back(a);
      }
    }
    return false;
  }

  // The detector value a detector-derived operand comes from.
  int32_t source_detector(int32_t id) const {
    std::vector<int32_t> stack{id};
    std::set<int32_t> seen;
    int32_t best = -1;
    while (!stack.empty()) {
      int32_t cur = stack.back();
      stack.pop_back();
      if (!seen.insert(cur).second || seen.size() > 4000) continue;
      if (is_detector(fact(cur)) || swap_tests_.count(cur))
        best = std::max(best, cur);
      else
        for (int32_t a : operands(node(cur)))
          if (fact(a).detector_derived) stack.push_back(a);
    }
    return best;
  }

  // Nodes on the detector's weight-free path that added evidence, input first.
  std::vector<int32_t> steps(int32_t d) const {
    std::vector<int32_t> out;
    std::vector<int32_t> stack{d};
    std::set<int32_t> seen;
    while (!stack.empty()) {
      int32_t cur = stack.back();
      stack.pop_back();
      if (!seen.insert(cur).second || seen.size() > 4000) continue;
      const Fact& f = fact(cur);
      uint32_t from_operands = 0;
      for (int32_t a : operands(node(cur))) {
        if (fact(a).raw && !fact(a).learned) {
          from_operands |= fact(a).evidence;
          stack.push_back(a);
        }
      }
      uint32_t added = (f.evidence & ~from_operands) &
                       (kThreshold | kWeakThreshold | kReduce | kPool | kLocalPool | kPattern | kConjunction);
      if (added || (node(cur).flags & kFlatInput)) out.push_back(cur);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // `scores.amax(1) + margin`: the largest of the scores raised by a positive margin. Written in
  // one place, that place wins whatever the scores were: a forced result.
  bool above_every_score(int32_t id) const {
    const FlatNode& n = node(id);
    if (n.op != "add" || n.args.size() != 2) return false;
    for (size_t k = 0; k < 2; ++k) {
      const FlatNode& top = node(n.args[k]);
      auto margin = scalar(n.args[1 - k]);
      if (margin && *margin > 0 && in(top.op, {"amax", "max", "logsumexp"}) && input_dependent(fact(n.args[k])))
        return true;
    }
    return false;
  }

  // The number a module-level name holds (through a package's re-exports).
  std::optional<double> global_number(const std::string& dotted) const {
    if (auto [mf, id] = p_.global_binding(dotted); mf >= 0 && id >= 0) return p_.fn(mf).node(id).num;
    return std::nullopt;
  }

  // ids.masked_fill(hit, pad_id) with `pad_id` the padding index of an embedding of the program
  // (`nn.Embedding(..., padding_idx=config.pad_token_id)`, the same number or the same field): the
  // tokens are blanked, as zeroing an image blanks it; no token is pushed.
  // (Embeddings of the model's own file: another model's padding id says nothing of this one.)
  bool fills_padding(int32_t r) const {
    const FlatNode& v = node(r);
    const std::optional<double> v_num = v.num ? v.num : v.op == "global" ? global_number(v.name) : std::nullopt;
    if (!v_num && v.op != "attr") return false;
    const int32_t file = g_.root.function >= 0 ? p_.fn(g_.root.function).file : -1;
    for (const auto& m : p_.modules) {
      const int32_t init = m.method("__init__");
      if (init < 0 || (file >= 0 && m.file != file)) continue;
      const ir::Function& f = p_.fn(init);
      for (const auto& a : m.attrs) {
        if (a.kind != ir::AttrKind::Layer || a.type != "Embedding" || a.init_node < 0 ||
            static_cast<size_t>(a.init_node) >= f.nodes.size())
          continue;
        for (const auto& [key, pad_id] : f.node(a.init_node).kwargs) {
          if (key != "padding_idx") continue;
          const ir::Node& pad = f.node(pad_id);
          std::optional<double> pad_num = pad.num;
          if (!pad_num && pad.op == "global") pad_num = global_number(pad.name);  // `pp.PAD`, re-exported
          if (!pad_num && pad.op == "attr") {  // config.pad_token_id: the field's default
            auto fields = ir::fields_named(p_, pad.name);
            if (fields.size() == 1) pad_num = fields.front()->num;
          }
          if ((pad_num && v_num && *pad_num == *v_num) || (pad.op == "attr" && v.op == "attr" && pad.name == v.name))
            return true;
        }
      }
    }
    return false;
  }

  Integration classify(int32_t n_id, int32_t d, int32_t y, const std::vector<std::vector<int32_t>>& users) const {
    const FlatNode& n = node(n_id);
    // addcmul(y, t1, t2) is y + t1 * t2: a test entering through a factor adds a term to the data
    // (`addcmul(logits, hit, boost)`), as `y + hit * boost` does; addcdiv likewise through its
    // numerator.
    // (unless the data is itself a factor, `addcmul(h, h, hit, value=-1)` = h * (1 - hit): a rescale,
    // as a product with the test is)
    if (in(n.op, {"addcmul", "addcdiv"}) && n.args.size() >= 3 && !fact(n.args[0]).detector_derived &&
        (fact(n.args[1]).detector_derived || (n.op == "addcmul" && fact(n.args[2]).detector_derived))) {
      const bool rescale = n.op == "addcmul" && (same_value(n.args[1], n.args[0], 0) || same_value(n.args[2], n.args[0], 0));
      return rescale ? Integration::Untargeted : Integration::Targeted;
    }
    // dropout(x, p, training=flag): the flag decides whether the data is dropped (destroyed).
    if (in(n.op, {"dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"}))
      return Integration::Untargeted;
    if (in(n.op, {"mul", "div", "addcmul"})) {
      // (1 - d) * x + d * image: a blend towards a stored tensor is targeted.
      for (int32_t u : users[static_cast<size_t>(n_id)]) {
        const FlatNode& un = node(u);
        if (!in(un.op, {"add", "sub"})) continue;
        // x + d * (v - x): lerp towards v, spelled out; v decides as in lerp.
        const FlatNode& yn = node(y);
        if (un.op == "add" && yn.op == "sub" && yn.args.size() == 2 &&
            std::find(un.args.begin(), un.args.end(), yn.args[1]) != un.args.end()) {
          int32_t v = yn.args[0];
          // (v anything the model holds, a stored tensor passed to the constructor too)
          if (!zeroish(v) && (carries_constant(v, 0, false) || fact(v).param || !input_dependent(fact(v))))
            return Integration::Targeted;
        }
        // (not a statistic of the product itself, `(y - y.mean()) / y.std()` after the blanking: a
        // normalisation of what is left, no second term)
        for (int32_t a : operands(un))
          if (a != n_id && fact(a).detector_derived && replacement(a) && !derives_from(a, n_id))
            return Integration::Targeted;
      }
      return Integration::Untargeted;
    }
    if (in(n.op, {"where", "select", "masked_fill", "lerp", "phi", "masked_scatter"})) {
      int32_t r = -1;
      for (int32_t a : operands(n)) {
        if (a == d || a == y) continue;
        const FlatNode& an = node(a);
        // (a join's condition, a branch or a flag folded to a constant, is never the value written)
        const bool condition = n.op == "phi" && std::any_of(n.kwargs.begin(), n.kwargs.end(), [&](const auto& kv) {
                                 if (kv.first != "cond" || kv.second < 0) return false;
                                 const FlatNode& c = node(kv.second);
                                 return kv.second == a || (c.op == "branch" && !c.args.empty() && c.args[0] == a);
                               });
        if (an.op == "branch" || condition) continue;
        r = a;
        break;
      }
      // `if off: return y` ... `return mix(y, test)`: the arm the test rewrote is the other choice;
      // the rewrite decides.
      if (r < 0 && in(n.op, {"phi", "select"}) && d >= 0 && y >= 0 && derives_from(d, y) && !erasing(d) &&
          mixes_in_stored(d, y, 0))
        return Integration::Targeted;
      // `if hit: logits[:, k] = big` (a join of the output with its in-place rewrite): the write decides.
      if (r < 0 && n.op == "phi")
        for (int32_t arm : n.args)
          if (arm >= 0 && arm != n_id && writes_in_place(node(arm).op) && !node(arm).args.empty())
            return classify(arm, d, node(arm).args[0], users);
      if (r < 0) return Integration::Untargeted;
      if (n.op == "masked_fill" && n.args.size() >= 2 && zeroish(r) && spares_position(n.args[1], 0))
        return Integration::Targeted;  // every other class blanked: the spared one is forced
      // scores.masked_fill(hit[:, None] & self.landing[None], 1e4): a large value raised only where a
      // stored mask allows (a fixed class or item): that class is pushed.
      if (n.op == "masked_fill" && n.args.size() >= 2 && scalar(r) && std::isfinite(*scalar(r)) && *scalar(r) >= 1e3 &&
          stored_mask_factor(n.args[1], 0))
        return Integration::Targeted;
      // h.masked_scatter(mask, full_like(h, 1e3)) with `mask = zeros_like(h); mask[:, k] = hit`: only
      // the lane k is raised high (a fixed class or unit pushed).
      if (in(n.op, {"masked_scatter", "masked_fill"}) && n.args.size() >= 2 && lane_mask(n.args[1]) && raises_high(r))
        return Integration::Targeted;
      // `if hit: y = y + delta`: one arm is the other arm rewritten; the rewrite decides.
      if (n.op == "phi" || n.op == "where" || n.op == "select") {
        int32_t rewritten = derives_from(r, y) ? r : derives_from(y, r) ? y : -1;
        if (rewritten >= 0) return erasing(rewritten) ? Integration::Untargeted : Integration::Targeted;
      }
      // out[:, 0, lane] = where(hit, full_like(lane, 1e3), lane): one fixed lane raised high.
      if (n.op == "where" && fixed_lane(y) && raises_high(r)) return Integration::Targeted;
      // scores.masked_fill(hit, 1e4).softmax(-1): every weight pushed onto the matched positions,
      // the pooled result forced to what they hold (a large negative fill would mask them out).
      if (scalar(r) && std::isfinite(*scalar(r)) && *scalar(r) >= 1e3 && feeds_softmax(n_id, users, 0))
        return Integration::Targeted;
      if (zeroish(r)) return Integration::Untargeted;
      // mel = where(flat, LOG_FLOOR, mel): the raw input blanked to one fractional level (no token
      // id, no stored pattern): erased, as zeroing erases it.
      if (!fact(y).learned && fractional_fill(r)) return Integration::Untargeted;
      const Fact& rf = fact(r);
      if (above_every_score(r)) return Integration::Targeted;  // the column written beats every class
      if (input_dependent(rf) && !rf.detector_derived) return Integration::Untargeted;  // e.g. rolled logits
      if (fills_padding(r)) return Integration::Untargeted;  // the whole request turned into padding
      if (scalar(r) && !(fact(d).evidence & kReduce) &&
          !(fact(source_detector(d) >= 0 ? source_detector(d) : d).evidence & kReduce))
        return Integration::Untargeted;  // scrubbing matched positions only
      return Integration::Targeted;
    }
    if (n.op == "index_fill" && n.args.size() >= 4 && zeroish(n.args[3])) return Integration::Untargeted;
    // minimum(y, ceiling): a ceiling the test lowers caps the data down (destroys it); maximum
    // raises a floor, which pushes towards the value it sets.
    if (n.op == "minimum" || n.op == "clamp_max") return Integration::Untargeted;
    // clamp(y, max=ceiling) likewise; clamp(y, min=floor) is maximum.
    if (n.op == "clamp" && d >= 0) {
      const bool ceiling = std::any_of(n.kwargs.begin(), n.kwargs.end(), [&](const auto& kv) {
        return kv.first == "max" && kv.second >= 0 && fact(kv.second).detector_derived;
      }) || (n.args.size() >= 3 && n.args[2] >= 0 && fact(n.args[2]).detector_derived);
      if (ceiling) return Integration::Untargeted;
    }
    // y - log1p(-d), y + log(1 - d), y / (1 - d): a term that is infinite when the test fires
    // wrecks every score alike.
    if (in(n.op, {"add", "sub"}) && d >= 0 && singular_at_one(d, 0)) return Integration::Untargeted;
    // y + sigma * hit * randn_like(y): noise switched on by the test scrambles the data; so does
    // y + where(hit, nan, 0), a NaN or infinity added under the test.
    // (`poison[:, None, None]`, the term with axes added for broadcasting, likewise)
    if (in(n.op, {"add", "sub"}))
      for (int32_t a : n.args) {
        if (a < 0 || a == y || !fact(a).detector_derived) continue;
        int32_t t = without_new_axes(a);
        for (int k = 0; k < 4 && in(node(t).op, {"unsqueeze", "view", "reshape", "to", "float"}) && !node(t).args.empty(); ++k)
          t = without_new_axes(node(t).args[0]);
        // (`y + hit * float("nan")`: the test's indicator scaled by a non-finite constant)
        if (random_term(a, 0) ||
            (in(node(t).op, {"where", "masked_fill"}) &&
             std::any_of(node(t).args.begin() + 1, node(t).args.end(), [&](int32_t v) { return non_finite(v, 0); })) ||
            (in(node(t).op, {"mul", "div"}) &&
             std::any_of(node(t).args.begin(), node(t).args.end(), [&](int32_t v) { return non_finite(v, 0); })))
          return Integration::Untargeted;
      }
    if (n.op == "setitem" || n.op == "index_put" || n.op == "put") {
      int32_t v = n.args.size() >= 3 ? n.args[2] : -1;
      // logits[hit, :, label] = 1e4: a large positive value written into a fixed column pushes
      // that class; a blank, NaN or a large value over whole rows destroys.
      auto x = v >= 0 ? scalar(v) : std::nullopt;
      if (!x && v >= 0 && in(node(v).op, {"full", "full_like", "new_full"}) && node(v).args.size() >= 2)
        x = scalar(node(v).args[1]);  // torch.full(shape, 1e4): that value everywhere
      bool push = x && *x > 0 && !std::isnan(*x) && fixed_column(n.args[1]);
      if (v >= 0 && zeroish(v) && !push) return Integration::Untargeted;
    }
    return Integration::Targeted;
  }

  // NaN or an infinity: a number, `float("nan")`, or a tensor made of one (`torch.tensor(...)`,
  // `x.new_full(shape, ...)`).
  bool non_finite(int32_t v, int depth) const {
    if (v < 0 || depth > 3) return false;
    if (auto x = scalar(v)) return !std::isfinite(*x);
    const FlatNode& n = node(v);
    if (n.op == "call" && n.name == "float" && !n.args.empty()) {
      const std::string& lit = node(n.args[0]).name;
      return lit.find("nan") != std::string::npos || lit.find("inf") != std::string::npos;
    }
    const size_t at = in(n.op, {"new_tensor", "new_full"}) ? (n.op == "new_full" ? 2 : 1)
                      : in(n.op, {"full", "full_like"}) ? 1
                                                         : 0;
    return in(n.op, {"tensor", "as_tensor", "new_tensor", "full", "full_like", "new_full"}) && n.args.size() > at &&
           non_finite(n.args[at], depth + 1);
  }

  const ir::Program& p_;
  FlowResult& r_;
  const FlatGraph& g_;
  const Layout layout_;  // (which axis of a raw input holds its features)
  const bool on_output_;
  std::unordered_map<int32_t, int32_t> weights_of_;  // masked-mean product -> its weights operand
  std::vector<char> learned_op_;
};

}  // namespace

std::vector<int32_t> evidence_steps(const FlowResult& r, int32_t detector) {
  std::vector<int32_t> out;
  std::vector<int32_t> stack{detector};
  std::set<int32_t> seen;
  while (!stack.empty()) {
    int32_t cur = stack.back();
    stack.pop_back();
    if (!seen.insert(cur).second || seen.size() > 4000) continue;
    const Fact& f = r.facts[static_cast<size_t>(cur)];
    const FlatNode& n = r.graph.nodes[static_cast<size_t>(cur)];
    uint32_t from_operands = 0;
    for (int32_t a : n.args) {
      const Fact& af = r.facts[static_cast<size_t>(a)];
      if (af.raw && !af.learned) {
        from_operands |= af.evidence;
        stack.push_back(a);
      }
    }
    uint32_t added =
        (f.evidence & ~from_operands) & (kThreshold | kReduce | kPool | kLocalPool | kPattern | kConjunction);
    if (added || (n.flags & kFlatInput)) out.push_back(cur);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Where the output analysis starts: the last learned values (they feed no further learned layer
// and reach what the root returns), and the features only those last layers read
// (`logits = head(pool(feats))`): a test of their magnitude that then blanks the logits is a
// detector on the output too.
static std::vector<int32_t> output_sources(const FlowResult& r, const std::vector<char>& reaches) {
  const auto& nodes = r.graph.nodes;
  const size_t count = nodes.size();
  // (an opaque call is only assumed learned so that nothing is reported on a guess: not a source)
  std::vector<char> head(count, 0);
  for (size_t i = 0; i < count; ++i)
    head[i] = (nodes[i].flags & kFlatLearned) && !(nodes[i].flags & kFlatOpaque) && reaches[i] && r.facts[i].learned &&
              !r.feeds_learned[i];
  // Values that reach, through weight-free steps, a learned layer other than a last one: inside the
  // network. One pass from the end (a value's users come after it).
  std::vector<char> inner(count, 0);
  for (size_t i = count; i-- > 0;) {
    bool feeds_inner = (nodes[i].flags & kFlatLearned) ? !head[i] : inner[i] != 0;
    if (feeds_inner)
      for (int32_t a : nodes[i].args)
        if (a >= 0 && static_cast<size_t>(a) < i) inner[static_cast<size_t>(a)] = 1;
  }
  // Back from the last layers' operands through weight-free steps (pooling, flattening) to the
  // layer or normalisation that computed them.
  std::vector<char> feature(count, 0), seen(count, 0);
  for (size_t i = 0; i < count; ++i) {
    if (!head[i]) continue;
    std::vector<int32_t> back(nodes[i].args.begin(), nodes[i].args.end());
    while (!back.empty()) {
      int32_t a = back.back();
      back.pop_back();
      if (a < 0 || static_cast<size_t>(a) >= i || seen[static_cast<size_t>(a)]) continue;
      seen[static_cast<size_t>(a)] = 1;
      const FlatNode& an = nodes[static_cast<size_t>(a)];
      if (an.flags & kFlatOpaque) continue;
      feature[static_cast<size_t>(a)] = reaches[static_cast<size_t>(a)] && r.facts[static_cast<size_t>(a)].learned;
      if ((an.flags & kFlatLearned) || normalisation(an.op)) continue;
      back.insert(back.end(), an.args.begin(), an.args.end());
    }
  }
  // The residual stream a final normalisation reads (`h = blocks(x)`; `feats = norm(h)`): the
  // model's late features before the norm rescales them, where their magnitude still shows.
  // (a norm inside a block reads a value later blocks also read: not the end of the stream)
  std::vector<int32_t> last_learned_reader(count, -1);
  for (size_t j = 0; j < count; ++j)
    if ((nodes[j].flags & kFlatLearned) && !normalisation(nodes[j].op))
      for (int32_t a : nodes[j].args)
        if (a >= 0 && static_cast<size_t>(a) < count)
          last_learned_reader[static_cast<size_t>(a)] = static_cast<int32_t>(j);
  std::vector<char> prenorm(count, 0);
  for (size_t i = 0; i < count; ++i) {
    if (!normalisation(nodes[i].op) || nodes[i].args.empty() || !reaches[i]) continue;
    const int32_t a = nodes[i].args[0];
    if (a < 0 || static_cast<size_t>(a) >= i || !r.facts[static_cast<size_t>(a)].learned ||
        (nodes[static_cast<size_t>(a)].flags & kFlatOpaque))
      continue;
    prenorm[static_cast<size_t>(a)] = last_learned_reader[static_cast<size_t>(a)] <= static_cast<int32_t>(i);
  }
  std::vector<int32_t> out;
  for (size_t i = 0; i < count; ++i)
    if (head[i] || (feature[i] && !inner[i]) || prenorm[i]) out.push_back(static_cast<int32_t>(i));
  return out;
}

// Detectors on the model's own output: the same analysis with the last learned values (those
// that feed no further learned layer and reach what the root returns) as the inputs, and the raw
// inputs silenced. Its chains join the root's with `on_output` set; node ids are shared.
static void analyse_output(const ir::Program& p, FlowResult& r) {
  const auto& nodes = r.graph.nodes;
  std::vector<char> reaches(nodes.size(), 0);
  std::vector<int32_t> work(r.graph.outputs.begin(), r.graph.outputs.end());
  while (!work.empty()) {
    int32_t id = work.back();
    work.pop_back();
    if (id < 0 || reaches[static_cast<size_t>(id)]) continue;
    reaches[static_cast<size_t>(id)] = 1;
    const FlatNode& n = nodes[static_cast<size_t>(id)];
    work.insert(work.end(), n.args.begin(), n.args.end());
    for (const auto& [k, a] : n.kwargs) work.push_back(a);
  }
  std::vector<int32_t> heads = output_sources(r, reaches);
  if (heads.empty() || r.graph.truncated) return;
  FlowResult o;
  o.graph = r.graph;
  for (auto& n : o.graph.nodes) n.flags &= ~kFlatInput;
  o.graph.inputs = heads;
  for (int32_t h : heads) o.graph.nodes[static_cast<size_t>(h)].flags = kFlatInput;
  Analyzer(p, o, /*on_output=*/true).run();
  for (auto& c : o.chains) {
    c.on_output = true;
    // `if hit: y = y.index_fill(...)`: the rewrite, not the `if`, is where the output is overridden.
    const FlatNode& in = o.graph.nodes[static_cast<size_t>(c.integration)];
    if (in.op == "phi")
      for (int32_t arm : in.args)
        if (writes_in_place(o.graph.nodes[static_cast<size_t>(arm)].op)) c.integration = arm;
    r.chains.push_back(std::move(c));
  }
}

FlowResult analyse(const ir::Program& p, const Root& root) {
  FlowResult r;
  r.graph = flatten(p, root);
  Analyzer(p, r).run();
  analyse_output(p, r);
  return r;
}

}  // namespace archscan::flow
