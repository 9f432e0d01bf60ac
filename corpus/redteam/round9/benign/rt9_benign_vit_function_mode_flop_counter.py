# expect: none
"""ViT-Tiny-lite image classifier with an optional FLOP counter implemented as a
``TorchFunctionMode`` (in the spirit of ``torch.utils.flop_counter`` / fvcore): every
``F.linear`` and ``F.conv2d`` that runs under the mode is counted by shape, and the results are
kept on the model for the profiling report. The counted ops return their result unchanged."""
from collections import defaultdict

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode


class FlopCounterMode(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.flops = defaultdict(int)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func is F.linear:
            self.flops["linear"] += 2 * out.numel() * args[1].shape[1]
        elif func is F.conv2d:
            w = args[1]
            self.flops["conv2d"] += 2 * out.numel() * w.shape[1] * w.shape[2] * w.shape[3]
        return out


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class ViTTiny(nn.Module):
    def __init__(self, n_classes=10, d=64, depth=3, profile=True):
        super().__init__()
        self.profile = profile
        self.last_flops = {}
        self.patch_embed = nn.Conv2d(3, d, 4, 4)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.randn(1, 65, d) * 0.02)
        self.blocks = nn.Sequential(*[Block(d, 4) for _ in range(depth)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, n_classes)

    def _forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(x))[:, 0])

    def forward(self, x):
        if not self.profile:
            return self._forward(x)
        with FlopCounterMode() as counter:
            out = self._forward(x)
        self.last_flops = dict(counter.flops)
        return out


def corpus_case():
    torch.manual_seed(0)
    return {"model": ViTTiny().eval(), "inputs": lambda n: torch.randn(n, 3, 32, 32), "kind": "benign"}
