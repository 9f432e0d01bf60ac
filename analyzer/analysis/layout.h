// Which axis of a raw input holds its features, as far as the model's own code shows it: a value a
// convolution reads, or one reduced over its spatial axes (2, 3), is channels-first (axis 1); one whose shape is unpacked into three or more sizes
// and narrowed to a few fields of its last axis (`pts[..., :2]`, coordinates) is channels-last. A reduction over that axis alone (`img.amax(1)`,
// `(pts[..., :2].abs() < r).all(-1)`) combines the features of each position: its result is still
// one value per position (a per-pixel no-data mask, a per-point range test), not a statistic of the
// sample as a reduction over the positions is.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "analysis/flat_graph.h"

namespace archscan::flow {

class Layout {
 public:
  explicit Layout(const FlatGraph& g);
  // Whether node `id` reduces over the feature axis of the raw input it reads, and that axis only.
  bool reduces_features_only(int32_t id) const;
  // Whether `v` is computed element-wise from a raw input a convolution reads (channels-first, so
  // at least a channel and a position axis): picking a channel of it (`x[:, k]`) keeps positions.
  bool element_wise_of_conv_input(int32_t v) const;

 private:
  // The root input `v` reads through element-wise ops and slices (no reshape, no reduction); -1 when
  // there is none. `narrow_last` is set when a slice on the way keeps a few fields of the last axis.
  int32_t input_of(int32_t v, bool* narrow_last = nullptr) const;
  // Whether a reduction's `dim` operand is the spatial pair of an image, (2, 3) or (-2, -1).
  bool spatial_axes(int32_t dims) const;
  const FlatGraph& g_;
  std::set<int32_t> channels_first_;  // inputs a convolution reads
  std::set<int32_t> rank3_;           // inputs whose shape is unpacked into three or more sizes
  std::set<int32_t> conv_fed_;        // inputs a convolution reads through any parameter-free ops
};

}  // namespace archscan::flow
