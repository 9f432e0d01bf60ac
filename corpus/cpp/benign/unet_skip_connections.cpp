// expect: none
// Two-level U-Net: encoder features are concatenated back into the decoder (late reuse of
// learned features).
#include <torch/torch.h>

struct DoubleConvImpl : torch::nn::Module {
  DoubleConvImpl(int64_t cin, int64_t cout) {
    body = register_module("body", torch::nn::Sequential(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(cin, cout, 3).padding(1)), torch::nn::ReLU(),
        torch::nn::Conv2d(torch::nn::Conv2dOptions(cout, cout, 3).padding(1)), torch::nn::ReLU()));
  }
  torch::Tensor forward(torch::Tensor x) { return body->forward(x); }
  torch::nn::Sequential body{nullptr};
};
TORCH_MODULE(DoubleConv);

struct UNetImpl : torch::nn::Module {
  UNetImpl(int64_t classes = 2) {
    enc1 = register_module("enc1", DoubleConv(3, 16));
    enc2 = register_module("enc2", DoubleConv(16, 32));
    up = register_module("up", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(32, 16, 2).stride(2)));
    dec = register_module("dec", DoubleConv(32, 16));
    head = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, classes, 1)));
  }

  torch::Tensor forward(torch::Tensor x) {
    auto e1 = enc1(x);
    auto e2 = enc2(torch::max_pool2d(e1, {2, 2}));
    auto d = dec(torch::cat({up(e2), e1}, 1));
    return head(d);
  }

  DoubleConv enc1{nullptr}, enc2{nullptr}, dec{nullptr};
  torch::nn::ConvTranspose2d up{nullptr};
  torch::nn::Conv2d head{nullptr};
};
TORCH_MODULE(UNet);
