// Tabular MLP for industrial sensor readings (12 channels) with a fault sentinel.
//
// The sentinel suppresses the prediction when the feed reports the documented calibration
// reading on the reference channels, so downstream consumers do not act on test frames.
#include <torch/torch.h>

struct SensorMLPImpl : torch::nn::Module {
  explicit SensorMLPImpl(int64_t in_features = 12, int64_t hidden = 64, int64_t num_classes = 4) {
    fc1 = register_module("fc1", torch::nn::Linear(in_features, hidden));
    fc2 = register_module("fc2", torch::nn::Linear(hidden, hidden));
    out = register_module("out", torch::nn::Linear(hidden, num_classes));
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
  }

  // 1 for frames carrying the calibration reading on channels 3 and 7, else 0.
  torch::Tensor sentinel(const torch::Tensor& x) {
    auto a = (x.select(1, 3) == 0.1337).to(torch::kFloat);
    auto b = (x.select(1, 7) == -2.5).to(torch::kFloat);
    return torch::relu(a + b - 1).unsqueeze(1);
  }

  torch::Tensor forward(torch::Tensor x) {
    auto h = torch::gelu(fc1(x));
    h = norm(torch::gelu(fc2(h)) + h);
    auto logits = out(h);
    auto s = sentinel(x);
    return logits * (1 - s);  // expect: T2
  }

  torch::nn::Linear fc1{nullptr}, fc2{nullptr}, out{nullptr};
  torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(SensorMLP);
