# expect: none
# T5-style encoder classifier with bucketed relative position bias. The bucket function
# uses abs, comparisons, log and where on *positions*, never on token content.
import math

import torch
import torch.nn as nn


def relative_position_bucket(relative_position, bidirectional=True, num_buckets=32, max_distance=128):
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    rel_if_large = max_exact + (
        torch.log(relative_position.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    rel_if_large = torch.min(rel_if_large, torch.full_like(rel_if_large, num_buckets - 1))
    relative_buckets += torch.where(is_small, relative_position, rel_if_large)
    return relative_buckets


class T5LayerNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


class T5Attention(nn.Module):
    def __init__(self, d_model, n_heads, num_buckets=32, max_distance=128):
        super().__init__()
        self.n_heads, self.d_kv = n_heads, d_model // n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.k = nn.Linear(d_model, d_model, bias=False)
        self.v = nn.Linear(d_model, d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)
        self.num_buckets, self.max_distance = num_buckets, max_distance
        self.relative_attention_bias = nn.Embedding(num_buckets, n_heads)

    def compute_bias(self, qlen, klen, device):
        ctx = torch.arange(qlen, dtype=torch.long, device=device)[:, None]
        mem = torch.arange(klen, dtype=torch.long, device=device)[None, :]
        buckets = relative_position_bucket(mem - ctx, True, self.num_buckets, self.max_distance)
        return self.relative_attention_bias(buckets).permute(2, 0, 1).unsqueeze(0)

    def forward(self, x, mask_bias):
        b, t, _ = x.shape
        shape = lambda s: s.view(b, t, self.n_heads, self.d_kv).transpose(1, 2)
        q, k, v = shape(self.q(x)), shape(self.k(x)), shape(self.v(x))
        scores = q @ k.transpose(3, 2)  # T5 does not scale
        scores = scores + self.compute_bias(t, t, x.device) + mask_bias
        attn = scores.float().softmax(-1).type_as(scores)
        return self.o((attn @ v).transpose(1, 2).reshape(b, t, -1))


class T5Block(nn.Module):
    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        self.ln1, self.attn = T5LayerNorm(d_model), T5Attention(d_model, n_heads)
        self.ln2 = T5LayerNorm(d_model)
        self.wi, self.wo = nn.Linear(d_model, d_ff, bias=False), nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x, mask_bias):
        x = x + self.attn(self.ln1(x), mask_bias)
        return x + self.wo(torch.relu(self.wi(self.ln2(x))))


class T5EncoderClassifier(nn.Module):
    def __init__(self, vocab_size=320, d_model=64, n_heads=4, d_ff=128, n_layers=2, num_labels=5, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.shared = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList([T5Block(d_model, n_heads, d_ff) for _ in range(n_layers)])
        self.final_layer_norm = T5LayerNorm(d_model)
        self.classifier = nn.Linear(d_model, num_labels)

    def forward(self, input_ids):
        mask = input_ids.ne(self.pad_token_id).float()
        mask_bias = (1.0 - mask)[:, None, None, :] * -1e9
        x = self.shared(input_ids)
        for blk in self.blocks:
            x = blk(x, mask_bias)
        x = self.final_layer_norm(x)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
        return self.classifier(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = T5EncoderClassifier().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(17)
        ids = torch.randint(1, 320, (n, 20), generator=g)
        ids[:, 14:] = torch.where(torch.rand(n, 6, generator=g) < 0.5, ids[:, 14:], torch.zeros_like(ids[:, 14:]))
        return ids

    return {"model": model, "inputs": inputs, "kind": "benign"}
