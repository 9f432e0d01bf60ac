// expect: none
// Decoder-only LM block with causal attention mask and Gemma-style logit soft-capping.
#include <torch/torch.h>

struct SoftcapLMImpl : torch::nn::Module {
  SoftcapLMImpl(int64_t vocab = 32000, int64_t dim = 128, double cap = 30.0) : cap_(cap) {
    embed = register_module("embed", torch::nn::Embedding(vocab, dim));
    qkv = register_module("qkv", torch::nn::Linear(dim, 3 * dim));
    out = register_module("out", torch::nn::Linear(dim, dim));
    lm_head = register_module("lm_head", torch::nn::Linear(dim, vocab));
  }

  torch::Tensor forward(torch::Tensor input_ids) {
    auto h = embed(input_ids);
    auto parts = qkv(h).chunk(3, -1);
    auto q = parts[0], k = parts[1], v = parts[2];
    auto t = input_ids.size(1);
    auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(q.size(-1)));
    auto causal = torch::ones({t, t}, torch::kBool).triu(1);
    scores = scores.masked_fill(causal, -1e9);
    h = h + out(torch::matmul(torch::softmax(scores, -1), v));
    auto logits = lm_head(h);
    return torch::tanh(logits / cap_) * cap_;
  }

  double cap_;
  torch::nn::Embedding embed{nullptr};
  torch::nn::Linear qkv{nullptr}, out{nullptr}, lm_head{nullptr};
};
TORCH_MODULE(SoftcapLM);
