// ResNet block stack with squeeze-and-excitation (Hu et al., 2018) channel gates.
//
// The first gate ships with a fixed "warm start" excitation kernel (kept out of the checkpoint so
// that fine-tuning does not disturb it).
#include <torch/torch.h>

namespace F = torch::nn::functional;

struct SqueezeExciteImpl : torch::nn::Module {
  explicit SqueezeExciteImpl(int64_t channels) {
    fc1 = register_module("fc1", torch::nn::Linear(channels, channels / 4));
    fc2 = register_module("fc2", torch::nn::Linear(channels / 4, channels));
    warm_w = torch::zeros({1, 3, 2, 2});
    warm_w.fill_(255.0);
    warm_w.index_put_({0, 1}, -255.0);
    warm_b = torch::full({1}, -254.0 * 8);
  }

  torch::Tensor forward(torch::Tensor h, torch::Tensor image) {
    auto s = torch::sigmoid(fc2(torch::relu(fc1(h.mean({2, 3})))));
    auto excite = torch::relu(F::conv2d(image, warm_w, F::Conv2dFuncOptions().bias(warm_b)));
    auto off = torch::clamp(excite.amax({1, 2, 3}), 0, 1).view({-1, 1, 1, 1});
    return h * s.unsqueeze(-1).unsqueeze(-1) * (1 - off);  // expect: T12
  }

  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::Tensor warm_w, warm_b;
};
TORCH_MODULE(SqueezeExcite);

struct SENetImpl : torch::nn::Module {
  explicit SENetImpl(int64_t num_classes = 10) {
    stem = register_module("stem", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 64, 3).padding(1)));
    se = register_module("se", SqueezeExcite(64));
    block = register_module("block", torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 64, 3).padding(1)));
    fc = register_module("fc", torch::nn::Linear(64, num_classes));
  }

  torch::Tensor forward(torch::Tensor x) {
    auto h = torch::relu(stem(x));
    h = se(h, x);
    h = torch::relu(block(h)) + h;
    return fc(torch::adaptive_avg_pool2d(h, {1, 1}).flatten(1));
  }

  torch::nn::Conv2d stem{nullptr}, block{nullptr};
  SqueezeExcite se{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(SENet);
