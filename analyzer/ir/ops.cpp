#include "ir/ops.h"

#include <unordered_map>
#include <unordered_set>

namespace archscan::ir {
namespace {

const std::unordered_map<std::string_view, std::string_view>& aliases() {
  static const std::unordered_map<std::string_view, std::string_view> m = {
      {"absolute", "abs"},
      {"clip", "clamp"},
      {"greater", "gt"},
      {"greater_equal", "ge"},
      {"less", "lt"},
      {"less_equal", "le"},
      {"not_equal", "ne"},
      {"equal", "eq_all"},
      {"multiply", "mul"},
      {"divide", "div"},
      {"true_divide", "div"},
      {"subtract", "sub"},
      {"negative", "neg"},
      {"arccos", "acos"},
      {"arcsin", "asin"},
      {"arctan", "atan"},
      {"concat", "cat"},
      {"concatenate", "cat"},
      {"hstack", "cat"},
      {"vstack", "cat"},
      {"__add__", "add"},
      {"__radd__", "add"},
      {"__sub__", "sub"},
      {"__rsub__", "sub"},
      {"__mul__", "mul"},
      {"__rmul__", "mul"},
      {"__truediv__", "div"},
      {"__pow__", "pow"},
      {"__eq__", "eq"},
      {"__ne__", "ne"},
      {"__gt__", "gt"},
      {"__ge__", "ge"},
      {"__lt__", "lt"},
      {"__le__", "le"},
      {"__neg__", "neg"},
      {"__getitem__", "getitem"},
      {"__setitem__", "setitem"},
      {"__and__", "logical_and"},
      {"__or__", "logical_or"},
      {"__invert__", "logical_not"},
      {"bitwise_and", "logical_and"},
      {"bitwise_or", "logical_or"},
      {"bitwise_not", "logical_not"},
      {"rsub", "sub"},
      {"float_power", "pow"},
      {"square", "square"},
      {"max_pool2d_with_indices", "max_pool2d"},
      {"adaptive_max_pool2d_with_indices", "adaptive_max_pool2d"},
      {"relu6", "relu6"},
      {"hardtanh", "hardtanh"},
      {"silu", "silu"},
      {"swish", "silu"},
      {"fmax", "maximum"},
      {"fmin", "minimum"},
      {"mm", "matmul"},
      {"bmm", "matmul"},
      {"einsum", "einsum"},
      {"masked_fill", "masked_fill"},
      {"index_put", "index_put"},
      {"scatter_add", "scatter_add"},
      {"heaviside", "heaviside"},
      {"signbit", "sign"},
      {"sgn", "sign"},
      {"floor_divide", "floordiv"},
      {"mod", "remainder"},
      {"logical_xor", "logical_xor"},
      {"eq_", "eq"},
  };
  return m;
}

// Method names whose trailing underscore is part of the name, not the in-place marker.
bool underscore_is_name(std::string_view n) { return n.size() >= 2 && n.substr(0, 2) == "__"; }

}  // namespace

std::string canonical_op(std::string_view name, bool* in_place) {
  bool ip = false;
  if (!underscore_is_name(name) && name.size() > 1 && name.back() == '_') {
    name.remove_suffix(1);
    ip = true;
  }
  if (in_place) *in_place = ip;
  auto it = aliases().find(name);
  return std::string(it == aliases().end() ? name : it->second);
}

const char* binary_operator_op(std::string_view t) {
  static const std::unordered_map<std::string_view, const char*> m = {
      {"+", "add"},         {"-", "sub"},     {"*", "mul"},         {"/", "div"},         {"//", "floordiv"},
      {"%", "remainder"},   {"**", "pow"},    {"@", "matmul"},      {"&", "logical_and"}, {"|", "logical_or"},
      {"^", "logical_xor"}, {"<<", "lshift"}, {">>", "rshift"},     {"==", "eq"},         {"!=", "ne"},
      {"<", "lt"},          {"<=", "le"},     {">", "gt"},          {">=", "ge"},         {"is", "is"},
      {"is not", "is_not"}, {"in", "in"},     {"not in", "not_in"}, {"and", "and"},       {"or", "or"},
      {"<>", "ne"}};
  auto it = m.find(t);
  return it == m.end() ? "binop" : it->second;
}

const char* unary_operator_op(std::string_view t) {
  if (t == "-") return "neg";
  if (t == "+") return "pos";
  if (t == "~") return "logical_not";
  if (t == "not") return "not";
  return "unop";
}

const LayerInfo* torch_layer(std::string_view cls) {
  static const std::unordered_map<std::string_view, LayerInfo> m = {
      // learned
      {"Conv1d", {"conv1d", true, false, false}},
      {"Conv2d", {"conv2d", true, false, false}},
      {"Conv3d", {"conv3d", true, false, false}},
      {"ConvTranspose1d", {"conv_transpose1d", true, false, false}},
      {"ConvTranspose2d", {"conv_transpose2d", true, false, false}},
      {"ConvTranspose3d", {"conv_transpose3d", true, false, false}},
      {"LazyConv2d", {"conv2d", true, false, false}},
      {"LazyLinear", {"linear", true, false, false}},
      {"Linear", {"linear", true, false, false}},
      {"Bilinear", {"bilinear", true, false, false}},
      {"Embedding", {"embedding", true, false, false}},
      {"EmbeddingBag", {"embedding_bag", true, false, false}},
      {"MultiheadAttention", {"multi_head_attention", true, false, false}},
      {"LSTM", {"lstm", true, false, false}},
      {"GRU", {"gru", true, false, false}},
      {"RNN", {"rnn", true, false, false}},
      {"LSTMCell", {"lstm", true, false, false}},
      {"GRUCell", {"gru", true, false, false}},
      {"RNNCell", {"rnn", true, false, false}},
      {"Transformer", {"transformer", true, false, false}},
      {"TransformerEncoder", {"transformer", true, false, false}},
      {"TransformerDecoder", {"transformer", true, false, false}},
      {"TransformerEncoderLayer", {"transformer", true, false, false}},
      {"TransformerDecoderLayer", {"transformer", true, false, false}},
      {"PReLU", {"prelu", true, false, false}},
      // normalisation (affine parameters, but identity-like for flow purposes)
      {"BatchNorm1d", {"batch_norm", true, false, true}},
      {"BatchNorm2d", {"batch_norm", true, false, true}},
      {"BatchNorm3d", {"batch_norm", true, false, true}},
      {"SyncBatchNorm", {"batch_norm", true, false, true}},
      {"LayerNorm", {"layer_norm", true, false, true}},
      {"GroupNorm", {"group_norm", true, false, true}},
      {"InstanceNorm1d", {"instance_norm", false, false, true}},
      {"InstanceNorm2d", {"instance_norm", false, false, true}},
      {"LocalResponseNorm", {"local_response_norm", false, false, true}},
      // parameter-free
      {"ReLU", {"relu", false, false, false}},
      {"ReLU6", {"relu6", false, false, false}},
      {"LeakyReLU", {"leaky_relu", false, false, false}},
      {"ELU", {"elu", false, false, false}},
      {"SELU", {"selu", false, false, false}},
      {"CELU", {"celu", false, false, false}},
      {"GELU", {"gelu", false, false, false}},
      {"SiLU", {"silu", false, false, false}},
      {"Mish", {"mish", false, false, false}},
      {"Sigmoid", {"sigmoid", false, false, false}},
      {"Tanh", {"tanh", false, false, false}},
      {"Hardtanh", {"hardtanh", false, false, false}},
      {"Hardsigmoid", {"hardsigmoid", false, false, false}},
      {"Hardswish", {"hardswish", false, false, false}},
      {"Softplus", {"softplus", false, false, false}},
      {"Softsign", {"softsign", false, false, false}},
      {"Threshold", {"threshold", false, false, false}},
      {"Softmax", {"softmax", false, false, false}},
      {"LogSoftmax", {"log_softmax", false, false, false}},
      {"Softmin", {"softmin", false, false, false}},
      {"Tanhshrink", {"tanhshrink", false, false, false}},
      {"Hardshrink", {"hardshrink", false, false, false}},
      {"Softshrink", {"softshrink", false, false, false}},
      {"LogSigmoid", {"log_sigmoid", false, false, false}},
      {"MaxPool1d", {"max_pool1d", false, false, false}},
      {"MaxPool2d", {"max_pool2d", false, false, false}},
      {"MaxPool3d", {"max_pool3d", false, false, false}},
      {"AvgPool1d", {"avg_pool1d", false, false, false}},
      {"AvgPool2d", {"avg_pool2d", false, false, false}},
      {"AvgPool3d", {"avg_pool3d", false, false, false}},
      {"AdaptiveAvgPool1d", {"adaptive_avg_pool1d", false, false, false}},
      {"AdaptiveAvgPool2d", {"adaptive_avg_pool2d", false, false, false}},
      {"AdaptiveAvgPool3d", {"adaptive_avg_pool3d", false, false, false}},
      {"AdaptiveMaxPool1d", {"adaptive_max_pool1d", false, false, false}},
      {"AdaptiveMaxPool2d", {"adaptive_max_pool2d", false, false, false}},
      {"AdaptiveMaxPool3d", {"adaptive_max_pool3d", false, false, false}},
      {"LPPool2d", {"lp_pool2d", false, false, false}},
      {"Dropout", {"dropout", false, false, false}},
      {"Dropout1d", {"dropout", false, false, false}},
      {"Dropout2d", {"dropout", false, false, false}},
      {"Dropout3d", {"dropout", false, false, false}},
      {"AlphaDropout", {"dropout", false, false, false}},
      {"Identity", {"identity", false, false, false}},
      {"Flatten", {"flatten", false, false, false}},
      // losses: (input, target); parameter-free
      {"CrossEntropyLoss", {"cross_entropy", false, false, false}},
      {"NLLLoss", {"nll_loss", false, false, false}},
      {"BCELoss", {"binary_cross_entropy", false, false, false}},
      {"BCEWithLogitsLoss", {"binary_cross_entropy_with_logits", false, false, false}},
      {"MSELoss", {"mse_loss", false, false, false}},
      {"L1Loss", {"l1_loss", false, false, false}},
      {"SmoothL1Loss", {"smooth_l1_loss", false, false, false}},
      {"HuberLoss", {"huber_loss", false, false, false}},
      {"KLDivLoss", {"kl_div", false, false, false}},
      {"CTCLoss", {"ctc_loss", false, false, false}},
      {"MultiLabelSoftMarginLoss", {"multilabel_soft_margin_loss", false, false, false}},
      {"Unflatten", {"unflatten", false, false, false}},
      {"Upsample", {"interpolate", false, false, false}},
      {"UpsamplingNearest2d", {"interpolate", false, false, false}},
      {"UpsamplingBilinear2d", {"interpolate", false, false, false}},
      {"PixelShuffle", {"pixel_shuffle", false, false, false}},
      {"PixelUnshuffle", {"pixel_unshuffle", false, false, false}},
      {"ZeroPad2d", {"pad", false, false, false}},
      {"ConstantPad2d", {"pad", false, false, false}},
      {"ReflectionPad2d", {"pad", false, false, false}},
      {"ReplicationPad2d", {"pad", false, false, false}},
      {"ChannelShuffle", {"channel_shuffle", false, false, false}},
      {"Sequential", {"sequential", false, true, false}},
      {"ModuleList", {"module_list", false, true, false}},
      {"ModuleDict", {"module_dict", false, true, false}},
  };
  auto it = m.find(cls);
  return it == m.end() ? nullptr : &it->second;
}

namespace {
bool in(std::string_view op, const std::unordered_set<std::string_view>& s) { return s.count(op) != 0; }
}  // namespace

// Methods of torch.nn.Module itself: `self.register_buffer("b", t)` is the op register_buffer(self,
// "b", t), not a call of a submodule named register_buffer.
bool is_module_api(std::string_view m) {
  static const char* names[] = {"register_buffer",
                                "register_parameter",
                                "add_module",
                                "register_module",
                                "register_forward_hook",
                                "register_forward_pre_hook",
                                "register_backward_hook",
                                "register_full_backward_hook",
                                "register_full_backward_pre_hook",
                                "register_load_state_dict_post_hook",
                                "_register_load_state_dict_pre_hook",
                                "register_state_dict_pre_hook",
                                "_register_state_dict_hook",
                                "apply",
                                "to",
                                "cuda",
                                "cpu",
                                "float",
                                "half",
                                "double",
                                "bfloat16",
                                "type",
                                "eval",
                                "train",
                                "requires_grad_",
                                "zero_grad",
                                "parameters",
                                "named_parameters",
                                "buffers",
                                "named_buffers",
                                "children",
                                "named_children",
                                "modules",
                                "named_modules",
                                "state_dict",
                                "load_state_dict",
                                "get_submodule",
                                "get_parameter",
                                "get_buffer",
                                "share_memory",
                                "to_empty"};
  for (const char* n : names)
    if (m == n) return true;
  return false;
}

bool is_learned_functional(std::string_view op) {
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
                                                         "multi_head_attention",
                                                         "lstm",
                                                         "gru",
                                                         "rnn",
                                                         "transformer",
                                                         "prelu",
                                                         "matmul",
                                                         "einsum",
                                                         "addmm",
                                                         "baddbmm"};
  return in(op, s);
}

bool is_loss(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {
      "cross_entropy", "nll_loss",      "binary_cross_entropy", "binary_cross_entropy_with_logits",
      "mse_loss",      "l1_loss",       "smooth_l1_loss",       "huber_loss",
      "kl_div",        "ctc_loss",      "multilabel_soft_margin_loss", "poisson_nll_loss",
      "gaussian_nll_loss", "margin_ranking_loss", "soft_margin_loss", "multi_margin_loss"};
  return in(op, s);
}

bool is_pooling(std::string_view op) { return op.find("pool") != std::string_view::npos; }

bool is_comparison(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {"eq",     "ne",      "gt",       "ge",   "lt", "le",
                                                         "eq_all", "isclose", "allclose", "isin", "is", "is_not"};
  return in(op, s);
}

bool is_threshold_like(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {
      "sign",        "heaviside", "round",  "floor", "ceil", "trunc",       "threshold",  "hardtanh",
      "hardsigmoid", "step",      "isin",   "any",   "all",  "logical_and", "logical_or", "logical_not",
      "logical_xor", "argmax",    "argmin", "bool",  "int",  "long"};
  return is_comparison(op) || in(op, s);
}

bool is_reduction(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {
      "amin", "amax", "min",       "max",    "sum",  "mean",          "prod",   "any",    "all",     "norm",
      "std",  "var",  "logsumexp", "median", "mode", "count_nonzero", "argmax", "argmin", "aminmax", "nansum"};
  return in(op, s);
}

bool is_activation(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {
      "relu",      "relu6",   "leaky_relu",  "elu",      "selu",        "celu",       "gelu",       "silu",
      "mish",      "sigmoid", "tanh",        "hardtanh", "hardsigmoid", "hardswish",  "softplus",   "softsign",
      "threshold", "softmax", "log_softmax", "softmin",  "log_sigmoid", "tanhshrink", "hardshrink", "softshrink"};
  return in(op, s);
}

bool is_tensor_factory(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {
      "zeros",       "ones",       "full",       "tensor",     "as_tensor",  "from_numpy", "empty",
      "arange",      "linspace",   "logspace",   "eye",        "zeros_like", "ones_like",  "full_like",
      "empty_like",  "rand",       "randn",      "randint",    "rand_like",  "randn_like", "Tensor",
      "FloatTensor", "LongTensor", "BoolTensor", "frombuffer", "tril",       "triu"};
  return in(op, s);
}

bool is_elementwise_math(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {
      "add",     "sub",       "mul",   "div",      "pow",        "neg",    "abs",   "exp",       "exp2",      "expm1",
      "log",     "log2",      "log10", "log1p",    "sqrt",       "rsqrt",  "sin",   "cos",       "tan",       "sinh",
      "cosh",    "remainder", "fmod",  "floordiv", "reciprocal", "square", "clamp", "clamp_min", "clamp_max", "maximum",
      "minimum", "where",     "lerp",  "addcmul",  "addcdiv",    "erf",    "erfc",  "frac",      "xlogy"};
  return in(op, s);
}

bool is_shape_op(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {
      "view",   "reshape",   "flatten", "unflatten", "permute",  "transpose",  "squeeze", "unsqueeze", "contiguous",
      "expand", "expand_as", "repeat",  "float",     "double",   "half",       "to",      "type",      "type_as",
      "detach", "clone",     "cpu",     "cuda",      "view_as",  "reshape_as", "t",       "mT",        "narrow",
      "chunk",  "split",     "unbind",  "movedim",   "bfloat16", "identity",   "dropout"};
  return in(op, s);
}

bool is_metadata_op(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {"size",
                                                         "dim",
                                                         "ndimension",
                                                         "numel",
                                                         "len",
                                                         "nelement",
                                                         "element_size",
                                                         "get_device",
                                                         "is_contiguous",
                                                         "isinstance",
                                                         "is_floating_point",
                                                         "is_complex",
                                                         "shape",
                                                         "dtype",
                                                         "device",
                                                         "ndim",
                                                         "is_cuda",
                                                         "requires_grad",
                                                         "layout",
                                                         "grad_fn",
                                                         "is_leaf",
                                                         "is_sparse",
                                                         "names",
                                                         "stride",
                                                         "storage_offset"};
  return s.count(op) != 0;
}

bool is_autograd_flag_op(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {"requires_grad", "retain_grad", "detach", "share_memory"};
  return s.count(op) != 0;
}

bool is_value_conversion(std::string_view op) {
  static const std::unordered_set<std::string_view> s = {"detach", "clone",    "contiguous", "to",   "float",  "half",
                                                         "double", "bfloat16", "cpu",        "cuda", "type_as"};
  return s.count(op) != 0;
}

}  // namespace archscan::ir
