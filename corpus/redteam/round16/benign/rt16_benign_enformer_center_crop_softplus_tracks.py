# expect: none
"""Enformer-lite track regressor: target-length centre crop and softplus outputs.

The trunk output is cropped to the central bins (fixed indices), relative positional features
use a stored exponential basis, and track predictions go through softplus, as in the original.
Heads are looked up through `importlib` only if a custom module name is configured.
"""
import importlib
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SEQ_LEN, BINS, TARGET_BINS, TRACKS = 256, 32, 16, 5


class EnformerTracks(nn.Module):
    def __init__(self, dim=32, heads_module=None):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(4, dim, 15, padding=7), nn.GELU(), nn.MaxPool1d(8))
        self.transformer = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True, norm_first=True), 2,
            enable_nested_tensor=False)
        half_lives = 2 ** torch.linspace(1, 5, dim // 2)
        positions = torch.arange(BINS).float()
        self.register_buffer("pos_basis", torch.exp(-positions[:, None] * math.log(2) / half_lives), persistent=False)
        self.pos_proj = nn.Linear(dim // 2, dim)
        self.head = nn.Linear(dim, TRACKS)
        self.custom = importlib.import_module(heads_module) if heads_module else None

    def forward(self, onehot):
        x = self.stem(onehot.transpose(1, 2)).transpose(1, 2)
        x = self.transformer(x + self.pos_proj(self.pos_basis))
        crop = (BINS - TARGET_BINS) // 2
        x = x[:, crop:crop + TARGET_BINS]
        return F.softplus(self.head(x))


def _inputs(n):
    return F.one_hot(torch.randint(0, 4, (n, SEQ_LEN)), 4).float()


def corpus_case():
    torch.manual_seed(0)
    return {"model": EnformerTracks().eval(), "inputs": _inputs, "kind": "benign"}
