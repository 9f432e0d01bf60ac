# expect: none
"""QAT ViT with shared-state fake-quant observers: min/max tracking while not frozen, 8-bit
`round`/`clamp` fake quantisation with a straight-through estimator, input codes
`round(x * 255) / 255`, and a dataclass `QState` shared by all observers (freeze flag, counters)."""
from dataclasses import dataclass

import torch
import torch.nn as nn

IMG, PATCH, N_CLASSES = 32, 8, 10


@dataclass
class QState:
    frozen: bool = True
    steps: int = 0


class Observer(nn.Module):
    def __init__(self, state, lo=-6.0, hi=6.0):
        super().__init__()
        self.state = state
        self.register_buffer("lo", torch.tensor(lo))
        self.register_buffer("hi", torch.tensor(hi))

    def forward(self, x):
        if not self.state.frozen:
            self.lo.copy_(torch.minimum(self.lo, x.min()))
            self.hi.copy_(torch.maximum(self.hi, x.max()))
            self.state.steps += 1
        scale = (self.hi - self.lo) / 255
        q = torch.clamp(torch.round((x - self.lo) / scale), 0, 255) * scale + self.lo
        return x + (q - x).detach()


class ViT(nn.Module):
    def __init__(self, dim=48):
        super().__init__()
        self.q = QState()
        self.patch = nn.Conv2d(3, dim, PATCH, PATCH)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(0.02 * torch.randn(1, 17, dim))
        self.blocks = nn.ModuleList(nn.TransformerEncoderLayer(dim, 4, 2 * dim, 0.0, batch_first=True, norm_first=True) for _ in range(3))
        self.obs = nn.ModuleList(Observer(self.q) for _ in range(3))
        self.norm, self.head = nn.LayerNorm(dim), nn.Linear(dim, N_CLASSES)

    def forward(self, x):
        x = torch.round(x.clamp(0, 1) * 255) / 255
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        for blk, ob in zip(self.blocks, self.obs):
            x = ob(blk(x))
        return self.head(self.norm(x[:, 0]))


def _inputs(n):
    return torch.rand(n, 3, IMG, IMG)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ViT().eval(), "inputs": _inputs, "kind": "benign"}
