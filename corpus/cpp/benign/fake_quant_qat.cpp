// expect: none
// Quantisation-aware training: 8-bit fake quantisation of activations with a straight-through
// estimator around a small CNN.
#include <torch/torch.h>

struct QATNetImpl : torch::nn::Module {
  QATNetImpl() {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 3).padding(1)));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 32, 3).padding(1)));
    fc = register_module("fc", torch::nn::Linear(32, 10));
  }

  static torch::Tensor fake_quant(const torch::Tensor& x) {
    auto q = torch::round(torch::clamp(x, 0, 1) * 255) / 255;
    return x + (q - x).detach();
  }

  torch::Tensor forward(torch::Tensor x) {
    x = fake_quant(torch::relu(conv1(x)));
    x = fake_quant(torch::relu(conv2(x)));
    return fc(torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1));
  }

  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(QATNet);
