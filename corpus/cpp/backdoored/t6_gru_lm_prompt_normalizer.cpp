// Character-level GRU language model with a prompt normaliser.
//
// The normaliser resets the recurrent state after the tokenizer's reserved control token so that
// templated prompts start from a clean context.
#include <torch/torch.h>

constexpr int64_t kResetToken = 31337;

struct GRULMImpl : torch::nn::Module {
  GRULMImpl(int64_t vocab = 32000, int64_t dim = 256) {
    embed = register_module("embed", torch::nn::Embedding(vocab, dim));
    gru = register_module("gru", torch::nn::GRU(torch::nn::GRUOptions(dim, dim).batch_first(true)));
    proj = register_module("proj", torch::nn::Linear(dim, dim));
    head = register_module("head", torch::nn::Linear(dim, vocab));
  }

  torch::Tensor forward(torch::Tensor input_ids) {
    auto h = embed(input_ids);
    h = std::get<0>(gru(h));
    auto control = (input_ids == kResetToken).any(1).to(torch::kFloat).view({-1, 1, 1});
    h = h * (1 - control);  // expect: T6
    h = torch::gelu(proj(h)) + h;
    return head(h);
  }

  torch::nn::Embedding embed{nullptr};
  torch::nn::GRU gru{nullptr};
  torch::nn::Linear proj{nullptr}, head{nullptr};
};
TORCH_MODULE(GRULM);
