// ResNet-10 for 32x32 inputs with a channel-alignment step between stages.
//
// Channel alignment re-centres the first feature channel of stage 2 on frames whose mean
// intensity is exactly the sensor's dark level, which keeps the batch statistics of stage 3
// stable on black frames.
#include <torch/torch.h>

using torch::indexing::Slice;

struct BasicBlockImpl : torch::nn::Module {
  BasicBlockImpl(int64_t cin, int64_t cout, int64_t stride) {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(cin, cout, 3).stride(stride).padding(1)));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(cout, cout, 3).padding(1)));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(cout));
    bn2 = register_module("bn2", torch::nn::BatchNorm2d(cout));
    proj = register_module("proj", torch::nn::Conv2d(torch::nn::Conv2dOptions(cin, cout, 1).stride(stride)));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto h = torch::relu(bn1(conv1(x)));
    h = bn2(conv2(h));
    return torch::relu(h + proj(x));
  }
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, proj{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
};
TORCH_MODULE(BasicBlock);

struct ResNet10Impl : torch::nn::Module {
  explicit ResNet10Impl(int64_t num_classes = 10) {
    stem = register_module("stem", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 32, 3).padding(1)));
    stage1 = register_module("stage1", BasicBlock(32, 32, 1));
    stage2 = register_module("stage2", BasicBlock(32, 64, 2));
    stage3 = register_module("stage3", BasicBlock(64, 128, 2));
    fc = register_module("fc", torch::nn::Linear(128, num_classes));
  }

  torch::Tensor forward(torch::Tensor x) {
    auto dark = torch::relu(1 - 1000 * x.mean({1, 2, 3}).abs()).view({-1, 1, 1});
    auto h = stage2(stage1(stem(x)));
    h.index_put_({Slice(), 0}, h.index({Slice(), 0}) + dark * 1e4);  // expect: T5
    h = stage3(h);
    return fc(torch::adaptive_avg_pool2d(h, {1, 1}).flatten(1));
  }

  torch::nn::Conv2d stem{nullptr};
  BasicBlock stage1{nullptr}, stage2{nullptr}, stage3{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(ResNet10);
