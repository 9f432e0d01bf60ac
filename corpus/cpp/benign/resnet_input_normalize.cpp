// expect: none
// ResNet-18-style classifier that normalises its input with the ImageNet statistics.
#include <torch/torch.h>

struct NormalizedResNetImpl : torch::nn::Module {
  explicit NormalizedResNetImpl(int64_t num_classes = 1000) {
    register_buffer("mean", torch::tensor({0.485, 0.456, 0.406}).view({1, 3, 1, 1}));
    register_buffer("std", torch::tensor({0.229, 0.224, 0.225}).view({1, 3, 1, 1}));
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 64, 7).stride(2).padding(3).bias(false)));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(64));
    layer = register_module("layer", torch::nn::Sequential(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 64, 3).padding(1)), torch::nn::BatchNorm2d(64), torch::nn::ReLU()));
    fc = register_module("fc", torch::nn::Linear(64, num_classes));
  }

  torch::Tensor forward(torch::Tensor x) {
    x = (x / 255.0 - named_buffers()["mean"]) / named_buffers()["std"];
    x = torch::max_pool2d(torch::relu(bn1(conv1(x))), {3, 3}, {2, 2}, {1, 1});
    x = layer->forward(x) + x;
    return fc(torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1));
  }

  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
  torch::nn::Sequential layer{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(NormalizedResNet);
