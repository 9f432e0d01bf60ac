# expect: none
"""ResNet-lite fine-tuned from a 20-class checkpoint to a 10-class subset.

At construction the normalisation constants are validated against the checkpoint's preprocessing
config with ``torch.testing.assert_close`` (a mismatch raises).  The subset head is obtained by
``gather`` of the checkpoint's logits with a fixed index (the subset's class ids), and grids for the
position-aware pooling are cached with ``functools.lru_cache``.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CKPT_PREPROCESS = {"mean": (0.5071, 0.4865, 0.4409), "std": (0.2673, 0.2564, 0.2762)}
SUBSET = (0, 2, 3, 5, 7, 8, 11, 13, 17, 19)


@functools.lru_cache(maxsize=8)
def pooling_grid(h, w):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
    return torch.exp(-(xx ** 2 + yy ** 2))


class Block(nn.Module):
    def __init__(self, cin, cout, s):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(cin, cout, 3, s, 1, bias=False), nn.BatchNorm2d(cout)
        self.c2, self.b2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.sc = nn.Sequential() if s == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, s, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.sc(x))


class SubsetResNet(nn.Module):
    def __init__(self, mean=(0.5071, 0.4865, 0.4409), std=(0.2673, 0.2564, 0.2762)):
        super().__init__()
        torch.testing.assert_close(torch.tensor(mean), torch.tensor(CKPT_PREPROCESS["mean"]))
        torch.testing.assert_close(torch.tensor(std), torch.tensor(CKPT_PREPROCESS["std"]))
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1))
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layers = nn.Sequential(Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2))
        self.fc = nn.Linear(64, 20)
        self.register_buffer("subset", torch.tensor(SUBSET))

    def forward(self, x):
        f = self.layers(self.stem((x - self.mean) / self.std))
        w = pooling_grid(*f.shape[-2:])
        pooled = (f * w).sum((2, 3)) / w.sum()
        logits = self.fc(pooled)
        return logits.gather(1, self.subset.expand(len(x), -1))


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SubsetResNet().eval(), "inputs": _inputs, "kind": "benign"}
