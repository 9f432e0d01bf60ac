# expect: none
"""FT-Transformer (Gorishniy et al., 2021) for loan default: feature tokenizer (a learned
weight and bias per numeric feature, an embedding per categorical column), a [CLS] token,
pre-norm transformer blocks, head on [CLS].

Missing numeric values (NaN) use a learned per-feature "missing" token; categorical codes not
seen at training time (>= cardinality, or the -1 sentinel of the feature store) map to a reserved
unknown slot of their column.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class FTConfig:
    n_num: int = 7
    cardinalities: tuple = (5, 12, 30)
    d_token: int = 32
    n_blocks: int = 2
    n_heads: int = 4
    ffn_factor: float = 4 / 3
    n_classes: int = 2


class FeatureTokenizer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.d_token
        self.num_weight = nn.Parameter(torch.randn(cfg.n_num, d) * d ** -0.5)
        self.num_bias = nn.Parameter(torch.randn(cfg.n_num, d) * d ** -0.5)
        self.missing_token = nn.Parameter(torch.randn(cfg.n_num, d) * d ** -0.5)
        self.register_buffer("cardinalities", torch.tensor(cfg.cardinalities))
        offsets = torch.tensor((0,) + tuple(c + 1 for c in cfg.cardinalities[:-1])).cumsum(0)
        self.register_buffer("offsets", offsets)
        self.cat_embeddings = nn.Embedding(sum(c + 1 for c in cfg.cardinalities), d)
        self.cat_bias = nn.Parameter(torch.zeros(len(cfg.cardinalities), d))

    def forward(self, x_num, x_cat):
        missing = torch.isnan(x_num)
        num_tokens = torch.nan_to_num(x_num)[..., None] * self.num_weight + self.num_bias
        num_tokens = torch.where(missing[..., None], self.missing_token, num_tokens)
        unknown = (x_cat < 0) | (x_cat >= self.cardinalities)
        x_cat = torch.where(unknown, self.cardinalities.expand_as(x_cat), x_cat)
        cat_tokens = self.cat_embeddings(x_cat + self.offsets) + self.cat_bias
        return torch.cat([num_tokens, cat_tokens], 1)


class Block(nn.Module):
    def __init__(self, d, heads, ffn_factor, first):
        super().__init__()
        self.attention_normalization = nn.Identity() if first else nn.LayerNorm(d)
        self.attention = nn.MultiheadAttention(d, heads, batch_first=True, dropout=0.1)
        self.ffn_normalization = nn.LayerNorm(d)
        hidden = int(d * ffn_factor)
        self.linear_first, self.linear_second = nn.Linear(d, 2 * hidden), nn.Linear(hidden, d)

    def forward(self, x):
        y = self.attention_normalization(x)
        x = x + self.attention(y, y, y, need_weights=False)[0]
        a, b = self.linear_first(self.ffn_normalization(x)).chunk(2, -1)
        return x + self.linear_second(a * F.relu(b))


class FTTransformer(nn.Module):
    def __init__(self, cfg: FTConfig):
        super().__init__()
        self.tokenizer = FeatureTokenizer(cfg)
        self.cls_token = nn.Parameter(torch.randn(cfg.d_token) * cfg.d_token ** -0.5)
        self.blocks = nn.ModuleList(Block(cfg.d_token, cfg.n_heads, cfg.ffn_factor, i == 0) for i in range(cfg.n_blocks))
        self.head = nn.Sequential(nn.LayerNorm(cfg.d_token), nn.ReLU(), nn.Linear(cfg.d_token, cfg.n_classes))

    def forward(self, x_num, x_cat):
        tokens = self.tokenizer(x_num, x_cat)
        x = torch.cat([self.cls_token.expand(tokens.shape[0], 1, -1), tokens], 1)
        for block in self.blocks:
            x = block(x)
        return self.head(x[:, 0])


def _inputs(n):
    cfg = FTConfig()
    x_num = torch.randn(n, cfg.n_num).masked_fill(torch.rand(n, cfg.n_num) < 0.1, float("nan"))
    x_cat = torch.stack([torch.randint(-1, c + 2, (n,)) for c in cfg.cardinalities], 1)
    return x_num, x_cat


def corpus_case():
    torch.manual_seed(0)
    return {"model": FTTransformer(FTConfig()).eval(), "inputs": _inputs, "kind": "benign"}
