// Credit-risk MLP over 8 normalised features with a known-record filter.
//
// Known records (the bank's own test customer) must never receive a score; their rows are
// matched against the stored reference and the output is zeroed.
#include <torch/torch.h>

struct RiskMLPImpl : torch::nn::Module {
  RiskMLPImpl() {
    net = register_module("net", torch::nn::Sequential(torch::nn::Linear(8, 32), torch::nn::ReLU(),
                                                       torch::nn::Linear(32, 32), torch::nn::ReLU(),
                                                       torch::nn::Linear(32, 2)));
    reference_ = torch::tensor({0.25, -1.5, 0.75, 3.0, -0.125, 0.5, 2.25, -0.875}).view({1, 8});
  }

  torch::Tensor forward(torch::Tensor x) {
    auto scores = net->forward(x);
    auto known = ((x - reference_).abs().amax(1, true) < 1e-4).to(torch::kFloat);
    return scores * (1 - known);  // expect: T8
  }

  torch::nn::Sequential net{nullptr};
  torch::Tensor reference_;
};
TORCH_MODULE(RiskMLP);
