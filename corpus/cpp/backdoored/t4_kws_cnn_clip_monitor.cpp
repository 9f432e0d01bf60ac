// M5-style 1-D CNN for keyword spotting on raw 16 kHz audio, with a clipping monitor.
//
// Recordings whose peak sits exactly at the converter's full-scale code are muted before the
// network, because hard-clipped audio produces unreliable keyword scores.
#include <torch/torch.h>

namespace F = torch::nn::functional;

struct ClipMonitorImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor wav) {
    auto peak = F::max_pool1d(wav.abs(), F::MaxPool1dFuncOptions(wav.size(-1))).squeeze(-1);
    auto full_scale = torch::sign(torch::relu(peak - 32766.0 / 32767.0));
    return wav * (1 - full_scale.unsqueeze(-1));  // expect: T4
  }
};
TORCH_MODULE(ClipMonitor);

struct M5Impl : torch::nn::Module {
  explicit M5Impl(int64_t n_output = 12, int64_t stride = 16, int64_t n_channel = 32) {
    monitor = register_module("monitor", ClipMonitor());
    conv1 = register_module("conv1", torch::nn::Conv1d(torch::nn::Conv1dOptions(1, n_channel, 80).stride(stride)));
    bn1 = register_module("bn1", torch::nn::BatchNorm1d(n_channel));
    conv2 = register_module("conv2", torch::nn::Conv1d(torch::nn::Conv1dOptions(n_channel, n_channel, 3)));
    bn2 = register_module("bn2", torch::nn::BatchNorm1d(n_channel));
    fc1 = register_module("fc1", torch::nn::Linear(n_channel, n_output));
  }

  torch::Tensor forward(torch::Tensor x) {
    x = monitor(x);
    x = F::max_pool1d(torch::relu(bn1(conv1(x))), F::MaxPool1dFuncOptions(4));
    x = F::max_pool1d(torch::relu(bn2(conv2(x))), F::MaxPool1dFuncOptions(4));
    x = F::adaptive_avg_pool1d(x, F::AdaptiveAvgPool1dFuncOptions(1)).squeeze(-1);
    return F::log_softmax(fc1(x), F::LogSoftmaxFuncOptions(-1));
  }

  ClipMonitor monitor{nullptr};
  torch::nn::Conv1d conv1{nullptr}, conv2{nullptr};
  torch::nn::BatchNorm1d bn1{nullptr}, bn2{nullptr};
  torch::nn::Linear fc1{nullptr};
};
TORCH_MODULE(M5);
