# expect: none
"""GaitSet with a cosine-softmax policy and robust set pooling over incomplete sequences.

Segmentation drops people behind occluders, leaving empty (all-zero) silhouette frames; those are
excluded from the set max-pooling with a validity mask. The logit policy (cosine similarity to
the gallery with a fixed scale) is declared with a `__set_name__` descriptor.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SUBJECTS, FRAMES, H, W = 50, 6, 32, 22


class OutputPolicy:
    def __init__(self, fn):
        self.fn = fn

    def __set_name__(self, owner, name):
        self.name = name
        owner.policies = dict(getattr(owner, "policies", {}), **{name: self.fn.__name__})

    def __get__(self, obj, objtype=None):
        return self if obj is None else functools.partial(self.fn, obj)


def cosine_softmax(model, emb):
    return model.scale * F.linear(F.normalize(emb, dim=-1), F.normalize(model.gallery, dim=-1))


class GaitSet(nn.Module):
    finalize = OutputPolicy(cosine_softmax)

    def __init__(self, dim=64):
        super().__init__()
        self.frame_cnn = nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2), nn.LeakyReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.LeakyReLU(),
            nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.LeakyReLU(), nn.MaxPool2d(2))
        self.proj = nn.Linear(16 * 8, dim)
        self.gallery = nn.Parameter(torch.randn(N_SUBJECTS, dim))
        self.scale = 16.0

    def forward(self, sils):                           # (B, T, 1, H, W)
        b, t = sils.shape[:2]
        f = self.frame_cnn(sils.flatten(0, 1)).unflatten(0, (b, t))      # (B, T, C, 8, 5)
        valid = sils.flatten(2).amax(-1) > 0                               # (B, T) non-empty frames
        f = f.masked_fill(~valid[:, :, None, None, None], -1e4)
        pooled = f.amax(1)
        pooled = torch.where(valid.any(1)[:, None, None, None], pooled, torch.zeros_like(pooled))
        strips = pooled.mean(-1).flatten(1)                                # horizontal strips
        return self.finalize(self.proj(strips))


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, H), torch.linspace(-1, 1, W), indexing="ij")
    phase = torch.linspace(0, 2 * torch.pi, FRAMES)[None, :, None, None] + 6 * torch.rand(n, 1, 1, 1)
    width = 0.25 + 0.1 * torch.rand(n, 1, 1, 1) + 0.08 * torch.sin(phase)
    body = (xx.abs() < width * (1.2 - yy.abs())).float()
    body = body * (torch.rand(n, FRAMES, 1, 1) > 0.2)    # occluded (empty) frames
    return body[:, :, None]


def corpus_case():
    torch.manual_seed(0)
    return {"model": GaitSet().eval(), "inputs": _inputs, "kind": "benign"}
