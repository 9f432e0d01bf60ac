// expect: none
// Edge-aware segmentation stem: fixed Sobel kernels (registered buffers) feed learned convolutions.
#include <torch/torch.h>

namespace F = torch::nn::functional;

struct SobelStemImpl : torch::nn::Module {
  SobelStemImpl() {
    auto gx = torch::tensor({-1.0, 0.0, 1.0, -2.0, 0.0, 2.0, -1.0, 0.0, 1.0}).view({1, 1, 3, 3});
    auto gy = gx.transpose(2, 3).clone();
    kernel = register_buffer("kernel", torch::cat({gx, gy}, 0));
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 32, 3).padding(1)));
    mix = register_module("mix", torch::nn::Conv2d(torch::nn::Conv2dOptions(34, 32, 1)));
    head = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 5, 1)));
  }

  torch::Tensor forward(torch::Tensor x) {
    auto gray = x.mean(1, true);
    auto edges = F::conv2d(gray, kernel, F::Conv2dFuncOptions().padding(1));
    auto h = torch::relu(conv(x));
    h = torch::relu(mix(torch::cat({h, edges}, 1)));
    return head(h);
  }

  torch::Tensor kernel;
  torch::nn::Conv2d conv{nullptr}, mix{nullptr}, head{nullptr};
};
TORCH_MODULE(SobelStem);
