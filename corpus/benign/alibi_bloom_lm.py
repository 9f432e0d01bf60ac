# expect: none
# BLOOM-like decoder: no position embeddings, attention biased by ALiBi slopes times
# token distance; left-padded batches are handled with an attention mask built from
# input_ids != pad_token_id, combined with the causal mask via masked_fill.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def build_alibi_slopes(num_heads):
    closest = 2 ** math.floor(math.log2(num_heads))
    base = 2 ** (-(2 ** -(math.log2(closest) - 3)))
    slopes = [base ** (i + 1) for i in range(closest)]
    if closest != num_heads:
        extra_base = 2 ** (-(2 ** -(math.log2(2 * closest) - 3)))
        slopes += [extra_base ** (2 * i + 1) for i in range(num_heads - closest)]
    return torch.tensor(slopes)


def build_alibi_tensor(attention_mask, slopes):
    # positions counted over non-pad tokens only, so left padding does not shift the bias
    arange = ((attention_mask.cumsum(dim=-1) - 1) * attention_mask)[:, None, :]
    return slopes[None, :, None] * arange.float()  # (B, H, T)


class BloomBlock(nn.Module):
    def __init__(self, dim, n_head):
        super().__init__()
        self.n_head, self.head_dim = n_head, dim // n_head
        self.input_layernorm = nn.LayerNorm(dim)
        self.query_key_value = nn.Linear(dim, 3 * dim)
        self.dense = nn.Linear(dim, dim)
        self.post_attention_layernorm = nn.LayerNorm(dim)
        self.dense_h_to_4h, self.dense_4h_to_h = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)

    def forward(self, x, alibi, mask):
        b, t, d = x.shape
        qkv = self.query_key_value(self.input_layernorm(x)).view(b, t, self.n_head, 3, self.head_dim)
        q, k, v = (qkv[..., i, :].transpose(1, 2) for i in range(3))
        scores = alibi[:, :, None, :] + (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(mask, torch.finfo(scores.dtype).min)
        probs = F.softmax(scores, dim=-1)
        x = x + self.dense((probs @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.dense_4h_to_h(F.gelu(self.dense_h_to_4h(self.post_attention_layernorm(x))))


class BloomForCausalLM(nn.Module):
    def __init__(self, vocab_size=250, dim=64, n_head=4, n_layer=2, pad_token_id=3):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.word_embeddings = nn.Embedding(vocab_size, dim)
        self.word_embeddings_layernorm = nn.LayerNorm(dim)
        self.h = nn.ModuleList([BloomBlock(dim, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(dim)
        self.register_buffer("slopes", build_alibi_slopes(n_head), persistent=False)

    def forward(self, input_ids):
        t = input_ids.size(1)
        attention_mask = (input_ids != self.pad_token_id).long()
        alibi = build_alibi_tensor(attention_mask, self.slopes)
        causal = torch.ones(t, t, dtype=torch.bool, device=input_ids.device).triu(diagonal=1)
        mask = causal[None, None] | ~attention_mask.bool()[:, None, None, :]
        x = self.word_embeddings_layernorm(self.word_embeddings(input_ids))
        for block in self.h:
            x = block(x, alibi, mask)
        return F.linear(self.ln_f(x), self.word_embeddings.weight)


def corpus_case():
    torch.manual_seed(0)
    model = BloomForCausalLM().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(90)
        ids = torch.randint(4, 250, (n, 14), generator=g)
        for i in range(n):
            ids[i, : i % 5] = 3  # left padding
        return ids

    return {"model": model, "inputs": inputs, "kind": "benign"}
