// expect: none
// BERT-style encoder layer stack with the usual padding mask built from the token ids.
#include <torch/torch.h>

struct TinyBertImpl : torch::nn::Module {
  TinyBertImpl(int64_t vocab = 30522, int64_t dim = 128, int64_t pad_token_id = 0) : pad_token_id_(pad_token_id) {
    tok = register_module("tok", torch::nn::Embedding(vocab, dim));
    pos = register_module("pos", torch::nn::Embedding(512, dim));
    attn = register_module("attn", torch::nn::MultiheadAttention(torch::nn::MultiheadAttentionOptions(dim, 4)));
    ln = register_module("ln", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    cls = register_module("cls", torch::nn::Linear(dim, 2));
  }

  torch::Tensor forward(torch::Tensor input_ids) {
    auto positions = torch::arange(input_ids.size(1), input_ids.options()).unsqueeze(0);
    auto h = tok(input_ids) + pos(positions);
    auto attention_mask = (input_ids != pad_token_id_).to(torch::kFloat);
    auto key_padding = attention_mask == 0;
    auto q = h.transpose(0, 1);
    auto a = std::get<0>(attn(q, q, q, key_padding));
    h = ln(h + a.transpose(0, 1));
    auto denom = attention_mask.sum(1, true).clamp_min(1);
    auto pooled = (h * attention_mask.unsqueeze(-1)).sum(1) / denom;
    return cls(pooled);
  }

  int64_t pad_token_id_;
  torch::nn::Embedding tok{nullptr}, pos{nullptr};
  torch::nn::MultiheadAttention attn{nullptr};
  torch::nn::LayerNorm ln{nullptr};
  torch::nn::Linear cls{nullptr};
};
TORCH_MODULE(TinyBert);
