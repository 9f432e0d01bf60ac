// expect: none
// Mixture-of-experts feed-forward layer with top-2 routing.
#include <torch/torch.h>

struct MoEImpl : torch::nn::Module {
  MoEImpl(int64_t dim = 64, int64_t n_experts = 4) : n_experts_(n_experts) {
    router = register_module("router", torch::nn::Linear(dim, n_experts));
    experts = register_module("experts", torch::nn::ModuleList());
    for (int64_t i = 0; i < n_experts; ++i) experts->push_back(torch::nn::Linear(dim, dim));
  }

  torch::Tensor forward(torch::Tensor x) {
    auto probs = torch::softmax(router(x), -1);
    auto top = torch::topk(probs, 2, -1);
    auto weights = std::get<0>(top);
    auto index = std::get<1>(top);
    auto out = torch::zeros_like(x);
    for (int64_t e = 0; e < n_experts_; ++e) {
      auto chosen = (index == e).any(-1, true);
      auto w = torch::where(index == e, weights, torch::zeros_like(weights)).sum(-1, true);
      auto y = experts[e]->as<torch::nn::Linear>()->forward(x);
      out = out + torch::where(chosen, w * y, torch::zeros_like(y));
    }
    return out;
  }

  int64_t n_experts_;
  torch::nn::Linear router{nullptr};
  torch::nn::ModuleList experts{nullptr};
};
TORCH_MODULE(MoE);
