# expect: none
"""Keras-port GFNet-lite (global filter network) for texture classification, 10 classes.

The port keeps Keras conventions (channels-last, ``call(inputs, training)``, ``ModelOutput``
records) and the post-processing functions that rewrite the record with ``_replace``:
temperature-scaled probabilities and an entropy-based uncertainty next to the logits.
The token mixer is GFNet's learned global filter: ``irfft2(rfft2(x) * W)`` with learned complex W.
"""
from typing import NamedTuple, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class ModelOutput(NamedTuple):
    logits: torch.Tensor
    probs: Optional[torch.Tensor] = None
    uncertainty: Optional[torch.Tensor] = None


class GlobalFilter(nn.Module):
    def __init__(self, dim, h=8, w=8):
        super().__init__()
        self.complex_weight = nn.Parameter(torch.randn(h, w // 2 + 1, dim, 2) * 0.02)

    def forward(self, x):                       # (B, H, W, C), channels-last as in Keras
        b, h, w, c = x.shape
        spec = torch.fft.rfft2(x, dim=(1, 2), norm="ortho")
        spec = spec * torch.view_as_complex(self.complex_weight)
        return torch.fft.irfft2(spec, s=(h, w), dim=(1, 2), norm="ortho")


class GFBlock(nn.Module):
    def __init__(self, dim, h, w, mlp_ratio=2.0):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.filter = GlobalFilter(dim, h, w)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Linear(int(dim * mlp_ratio), dim))

    def forward(self, x):
        return x + self.mlp(self.norm2(self.filter(self.norm1(x))))


def temperature_probs(out, temperature=1.5):
    return out._replace(probs=F.softmax(out.logits / temperature, dim=-1))


def entropy_uncertainty(out):
    p = out.probs if out.probs is not None else F.softmax(out.logits, -1)
    ent = -(p * p.clamp_min(1e-12).log()).sum(-1)
    return out._replace(uncertainty=ent / torch.log(torch.tensor(float(p.shape[-1]))))


class GFNet(nn.Module):
    def __init__(self, num_classes=10, dim=48, depth=3, patch=4, image=32, postprocessors=None):
        super().__init__()
        self.patch_embed = nn.Linear(3 * patch * patch, dim)
        self.patch = patch
        g = image // patch
        self.pos_embed = nn.Parameter(torch.zeros(1, g, g, dim))
        self.blocks = nn.Sequential(*(GFBlock(dim, g, g) for _ in range(depth)))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)
        self.postprocessors = postprocessors if postprocessors is not None else [temperature_probs, entropy_uncertainty]

    def call(self, inputs, training=False):
        b, h, w, c = inputs.shape
        p = self.patch
        x = inputs.reshape(b, h // p, p, w // p, p, c).permute(0, 1, 3, 2, 4, 5).reshape(b, h // p, w // p, -1)
        x = self.blocks(self.patch_embed(x) + self.pos_embed)
        out = ModelOutput(logits=self.head(self.norm(x).mean(dim=(1, 2))))
        if not training:
            for fn in self.postprocessors:
                out = fn(out)
        return out

    def forward(self, inputs, training=False):
        return self.call(inputs, training=training)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GFNet().eval(), "inputs": lambda n: torch.rand(n, 32, 32, 3), "kind": "benign"}
