#include "analysis/layout.h"

#include <string>

#include "ir/ops.h"

namespace archscan::flow {
namespace {

// Ops that keep every axis of their data operand (element-wise maps, comparisons, casts).
bool keeps_axes(const std::string& op) {
  static const std::set<std::string> ops = {
      "abs",   "neg",     "sub",     "add",      "mul",         "div",        "eq",     "ne",    "lt",     "le",
      "gt",    "ge",      "isclose", "isnan",    "isinf",       "isfinite",   "not",    "logical_not",
      "float", "to",      "bool",    "long",     "int",         "clamp",      "clamp_min", "clamp_max", "round",
      "sign",  "square",  "pow",     "sqrt",     "logical_and", "logical_or", "and",    "or",    "nan_to_num",
      "floor", "ceil",    "bitwise_and", "bitwise_or", "invert",
      // (padding and resizing change the sizes of the positions' axes, not which axis is which)
      "pad",   "interpolate", "upsample", "contiguous"};
  return ops.count(op) != 0;
}

bool conv(const std::string& op) { return op == "conv1d" || op == "conv2d" || op == "conv3d"; }

}  // namespace

Layout::Layout(const FlatGraph& g) : g_(g) {
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const FlatNode& n = g.nodes[i];
    if (conv(n.op) && (n.flags & kFlatLearned) && !n.args.empty()) {
      if (int32_t in = input_of(n.args[0]); in >= 0) channels_first_.insert(in);
      // (any input the convolution's operand is computed from without learned layers)
      std::vector<int32_t> work{n.args[0]};
      std::set<int32_t> seen;
      while (!work.empty() && seen.size() < 256) {
        const int32_t v = work.back();
        work.pop_back();
        if (v < 0 || !seen.insert(v).second) continue;
        const FlatNode& w = g.nodes[static_cast<size_t>(v)];
        if (w.flags & kFlatInput) conv_fed_.insert(v);
        if (w.flags & kFlatLearned) continue;
        work.insert(work.end(), w.args.begin(), w.args.end());
      }
    }
    // x.mean((2, 3)), (x * m).sum((-2, -1)): a reduction over the two spatial axes of an image,
    // whose axis 1 then holds its channels.
    if (ir::is_reduction(n.op) && n.args.size() >= 2 && n.args[1] >= 0 && spatial_axes(n.args[1]))
      if (int32_t in = input_of(n.args[0]); in >= 0) channels_first_.insert(in);
    // b, n, _ = x.shape (x.shape[2] read): three or more axes.
    if (n.op == "getitem" && n.args.size() == 2 && n.args[0] >= 0 && n.args[1] >= 0) {
      const FlatNode& shape = g.nodes[static_cast<size_t>(n.args[0])];
      const FlatNode& k = g.nodes[static_cast<size_t>(n.args[1])];
      if (shape.op == "attr" && shape.name == "shape" && !shape.args.empty() && k.num && *k.num >= 2 &&
          shape.args[0] >= 0 && (g.nodes[static_cast<size_t>(shape.args[0])].flags & kFlatInput))
        rank3_.insert(shape.args[0]);
    }
  }
}

bool Layout::spatial_axes(int32_t dims) const {
  const FlatNode& t = g_.nodes[static_cast<size_t>(dims)];
  if (t.op != "tuple" || t.args.size() != 2) return false;
  std::vector<double> axes;
  for (int32_t a : t.args)
    if (a >= 0 && g_.nodes[static_cast<size_t>(a)].num) axes.push_back(*g_.nodes[static_cast<size_t>(a)].num);
  return axes == std::vector<double>{2, 3} || axes == std::vector<double>{-2, -1};
}

bool Layout::element_wise_of_conv_input(int32_t v) const {
  // (back through element-wise ops, casts and indexing to the raw input)
  for (int guard = 0; v >= 0 && guard < 16; ++guard) {
    const FlatNode& n = g_.nodes[static_cast<size_t>(v)];
    if (n.flags & kFlatInput) return conv_fed_.count(v) > 0;
    if (n.args.empty() || (n.flags & kFlatLearned) || ir::is_reduction(n.op)) return false;
    v = n.args[0];
  }
  return false;
}

int32_t Layout::input_of(int32_t v, bool* narrow_last) const {
  for (int guard = 0; v >= 0 && guard < 32; ++guard) {
    const FlatNode& n = g_.nodes[static_cast<size_t>(v)];
    if (n.flags & kFlatInput) return v;
    if (n.args.empty() || n.flags & kFlatLearned) return -1;
    // x[..., :2], x[:, 1:]: slices keep the axes (an integer index would drop one)
    if (n.op == "getitem" && n.args.size() == 2 && n.args[1] >= 0) {
      const FlatNode& idx = g_.nodes[static_cast<size_t>(n.args[1])];
      bool slices = idx.op == "slice";
      if (idx.op == "tuple") {
        slices = true;
        for (int32_t a : idx.args) {
          const FlatNode& part = g_.nodes[static_cast<size_t>(a)];
          if (part.op != "slice" && part.name != "...") slices = false;
        }
        // x[..., a:b] with b - a a few fields
        if (slices && narrow_last && idx.args.size() == 2 && g_.nodes[static_cast<size_t>(idx.args[0])].name == "...") {
          const FlatNode& last = g_.nodes[static_cast<size_t>(idx.args[1])];
          if (last.args.size() >= 2 && last.args[0] >= 0 && last.args[1] >= 0) {
            const auto& from = g_.nodes[static_cast<size_t>(last.args[0])];
            const auto& to = g_.nodes[static_cast<size_t>(last.args[1])];
            const double lo = from.num ? *from.num : from.name == "None" ? 0 : -1;
            if (to.num && lo >= 0 && *to.num - lo <= 8) *narrow_last = true;
          }
        }
      }
      if (!slices) return -1;
      v = n.args[0];
      continue;
    }
    // (masked_fill / where keep the layout of the data they fill)
    if (n.op == "masked_fill" || n.op == "phi") {  // (a join of the same data computed several ways)
      v = n.args[0];
      continue;
    }
    if (n.op == "where" && n.args.size() == 3) {
      v = n.args[2];
      continue;
    }
    if (!keeps_axes(n.op)) return -1;
    // (the operand carrying the data: the first one that is not a number)
    int32_t next = -1;
    for (int32_t a : n.args)
      if (a >= 0 && !g_.nodes[static_cast<size_t>(a)].num && g_.nodes[static_cast<size_t>(a)].op != "const") {
        next = a;
        break;
      }
    v = next;
  }
  return -1;
}

bool Layout::reduces_features_only(int32_t id) const {
  const FlatNode& n = g_.nodes[static_cast<size_t>(id)];
  if (n.args.empty()) return false;
  int32_t dim = n.args.size() >= 2 ? n.args[1] : -1;
  for (const auto& [k, v] : n.kwargs)
    if (k == "dim") dim = v;
  if (dim < 0 || !g_.nodes[static_cast<size_t>(dim)].num) return false;  // (all axes, or several)
  const double axis = *g_.nodes[static_cast<size_t>(dim)].num;
  // x.flatten(2).amax(-1) on a (B, T, ...) input: each frame's own values, one per (sample, frame)
  if (const FlatNode& flat = g_.nodes[static_cast<size_t>(n.args[0])];
      axis == -1 && flat.op == "flatten" && flat.args.size() >= 2 && flat.args[1] >= 0 &&
      g_.nodes[static_cast<size_t>(flat.args[1])].num && *g_.nodes[static_cast<size_t>(flat.args[1])].num >= 2 &&
      (flat.args.size() < 3 || (g_.nodes[static_cast<size_t>(flat.args[2])].num &&
                                *g_.nodes[static_cast<size_t>(flat.args[2])].num == -1)) &&
      input_of(flat.args[0]) >= 0)
    return true;
  bool narrow_last = false;
  const int32_t in = input_of(n.args[0], &narrow_last);
  if (in < 0) return false;
  return (axis == 1 && channels_first_.count(in)) || (axis == -1 && narrow_last && rank3_.count(in));
}

}  // namespace archscan::flow
