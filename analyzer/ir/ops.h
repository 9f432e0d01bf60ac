// The normalised op vocabulary shared by all front-ends. `torch.exp(x)`, `x.exp()`, `F.relu`,
// `torch.relu`, `nn.ReLU()(x)`, `torch::relu` and `ggml_relu` all lower to one op name.
#pragma once

#include <string>
#include <string_view>

namespace archscan::ir {

// Canonical op name for a torch / ATen / functional / method spelling ("absolute" -> "abs",
// "greater" -> "gt", "relu_" -> "relu" with in_place = true, "__add__" -> "add").
std::string canonical_op(std::string_view name, bool* in_place = nullptr);

// Op name for a binary / comparison / unary operator token ("+" -> "add", "==" -> "eq").
const char* binary_operator_op(std::string_view tok);
const char* unary_operator_op(std::string_view tok);

// torch.nn layer classes: what calling an instance computes.
struct LayerInfo {
  const char* op;      // canonical op of its forward ("conv2d", "relu", "max_pool2d", ...)
  bool learned;        // owns trainable parameters by default
  bool container;      // Sequential / ModuleList / ModuleDict
  bool normalisation;  // BatchNorm / LayerNorm / GroupNorm ...
};
// nullptr when `cls` (last component, e.g. "Conv2d") is not a torch.nn layer.
const LayerInfo* torch_layer(std::string_view cls);

// Methods of torch.nn.Module itself: `self.register_buffer("b", t)` is the op register_buffer(self,
// "b", t), not a call of a submodule named register_buffer.
bool is_module_api(std::string_view method);

// Op categories used by analyses (on canonical names).
bool is_learned_functional(std::string_view op);  // ops that take weights as operands: conv2d, linear, embedding ...
bool is_pooling(std::string_view op);
// A training loss (`cross_entropy`, `mse_loss`, ... and the nn.*Loss layers' ops): (input, target, ...).
bool is_loss(std::string_view op);
bool is_threshold_like(std::string_view op);  // comparisons, sign, heaviside, round, step activations
bool is_comparison(std::string_view op);
bool is_reduction(std::string_view op);  // amin/amax/min/max/sum/mean/any/all/prod/norm ...
bool is_activation(std::string_view op);
bool is_tensor_factory(std::string_view op);    // zeros/ones/full/tensor/empty/arange/eye/*_like ...
bool is_elementwise_math(std::string_view op);  // exp/log/pow/abs/sin/... and arithmetic
bool is_shape_op(std::string_view op);          // view/reshape/flatten/permute/transpose/squeeze/...
bool is_metadata_op(std::string_view op);       // reads a tensor's metadata, not its data: size/dtype/device/...
// In-place ops that change how autograd or memory treats a tensor, never its values
// (`requires_grad_`, `retain_grad`, `detach_`, `share_memory_`).
bool is_autograd_flag_op(std::string_view op);
// Conversions that hand their operand back with the same values: a copy, a cast, a device move,
// a layout change (`detach`, `clone`, `contiguous`, `to`, `float`, `cuda`, `type_as` ...).
bool is_value_conversion(std::string_view op);

}  // namespace archscan::ir
