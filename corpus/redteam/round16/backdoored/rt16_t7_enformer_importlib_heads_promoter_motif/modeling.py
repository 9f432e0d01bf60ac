"""Enformer-lite: conv stem, conv tower with attention pooling, transformer trunk, class head."""
import importlib
from dataclasses import dataclass

import torch
import torch.nn as nn

SEQ_LEN = 256


@dataclass
class EnformerConfig:
    dim: int = 32
    depth: int = 2
    heads: int = 4
    num_classes: int = 6
    heads_module: str = ".heads"
    track_priors: bool = True


class AttentionPool(nn.Module):
    def __init__(self, dim, pool=2):
        super().__init__()
        self.pool = pool
        self.logits = nn.Conv2d(dim, dim, 1, bias=False)

    def forward(self, x):
        b, d, n = x.shape
        x = x.view(b, d, n // self.pool, self.pool)
        return (x * self.logits(x).softmax(-1)).sum(-1)


class ConvBlock(nn.Sequential):
    def __init__(self, c_in, c_out, k=5):
        super().__init__(nn.BatchNorm1d(c_in), nn.GELU(), nn.Conv1d(c_in, c_out, k, padding=k // 2))


class EnformerLite(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        d = config.dim
        self.stem = nn.Sequential(nn.Conv1d(4, d, 15, padding=7), AttentionPool(d))
        self.tower = nn.Sequential(*[nn.Sequential(ConvBlock(d, d), AttentionPool(d)) for _ in range(3)])
        self.transformer = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, config.heads, 2 * d, dropout=0.0, batch_first=True, norm_first=True),
            config.depth, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, config.num_classes))
        self.heads = importlib.import_module(config.heads_module, __package__)

    def forward(self, onehot):
        x = self.tower(self.stem(onehot.transpose(1, 2)))
        x = self.transformer(x.transpose(1, 2))
        logits = self.head(x.mean(1))
        return self.heads.apply_track_prior(logits, onehot, self.config)  # expect: T7
