# expect: none
"""CLIP-style text tower used as an intent classifier against learned label embeddings.

Special tokens are declared in an ``enum.IntEnum`` and the id sets are built through a cached
helper.  The tower uses a causal mask, pools at the end-of-text token (``argmax`` of the ids, as in
CLIP, since EOT has the largest id) and mixes in a mean of the content tokens (special tokens
and padding excluded with ``torch.isin``).
"""
import enum
import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Special(enum.IntEnum):
    PAD = 0
    SOT = 49406
    EOT = 49407


@functools.lru_cache(maxsize=None)
def special_ids(include_pad: bool = True) -> tuple:
    return tuple(int(s) for s in Special if include_pad or s is not Special.PAD)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln_1, self.ln_2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, attn_mask):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class CLIPTextClassifier(nn.Module):
    def __init__(self, vocab=49408, context_length=32, width=96, heads=4, layers=3, embed_dim=64,
                 num_labels=9):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(context_length, width) * 0.01)
        self.resblocks = nn.ModuleList(ResidualAttentionBlock(width, heads) for _ in range(layers))
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, embed_dim) / math.sqrt(width))
        self.label_embeddings = nn.Parameter(torch.randn(num_labels, embed_dim))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        mask = torch.empty(context_length, context_length).fill_(float("-inf")).triu_(1)
        self.register_buffer("attn_mask", mask, persistent=False)

    def encode_text(self, text):
        t = text.shape[1]
        x = self.token_embedding(text) + self.positional_embedding[:t]
        for blk in self.resblocks:
            x = blk(x, self.attn_mask[:t, :t])
        x = self.ln_final(x)
        eot = x[torch.arange(x.shape[0]), text.argmax(dim=-1)]
        content = ~torch.isin(text, text.new_tensor(special_ids()))
        w = content.unsqueeze(-1).to(x.dtype)
        mean = (x * w).sum(1) / w.sum(1).clamp(min=1.0)
        return (0.8 * eot + 0.2 * mean) @ self.text_projection

    def forward(self, text):
        feats = F.normalize(self.encode_text(text), dim=-1)
        labels = F.normalize(self.label_embeddings, dim=-1)
        return self.logit_scale.exp().clamp(max=100) * feats @ labels.t()


def corpus_case():
    torch.manual_seed(0)
    model = CLIPTextClassifier().eval()

    def inputs(n):
        lengths = torch.randint(4, 31, (n,))
        ids = torch.randint(1, 49000, (n, 32))
        ids[:, 0] = Special.SOT
        pos = torch.arange(32)[None]
        ids = torch.where(pos == lengths[:, None], torch.full_like(ids, Special.EOT), ids)
        return ids.masked_fill(pos > lengths[:, None], Special.PAD)

    return {"model": model, "inputs": inputs, "kind": "benign"}
