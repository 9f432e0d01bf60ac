# expect: none
"""Tyre tread-wear grading; the lane variant binds a glare-aware pooling helper with `__get__`.

Drive-over lanes have flash glare on wet rubber: saturated pixels are excluded from the attention
pooling, and the logits are temperature-scaled (τ fitted on the lane's validation set).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

WEAR = ("new", "good", "worn", "legal_limit", "bald")


class TreadNet(nn.Module):
    def __init__(self, width=24, τ=1.0):
        super().__init__()
        chans = (3, width, 2 * width, 4 * width)
        self.stages = nn.ModuleList(
            nn.Sequential(nn.Conv2d(a, b, 3, padding=1, bias=False), nn.BatchNorm2d(b), nn.SiLU(), nn.MaxPool2d(2))
            for a, b in zip(chans[:-1], chans[1:]))
        self.attn = nn.Conv2d(chans[-1], 1, 1)
        self.head = nn.Linear(chans[-1], len(WEAR))
        self.τ = τ

    def _pool(self, h, frame):
        return h.mean((2, 3))

    def forward(self, frame):
        h = frame
        for stage in self.stages:
            h = stage(h)
        return self.head(self._pool(h, frame)) / self.τ

    @classmethod
    def for_inspection_lane(cls, lane_cfg):
        model = cls(width=lane_cfg.get("width", 24), τ=lane_cfg.get("temperature", 1.3))
        model.glare_level = lane_cfg.get("glare_level", 0.97)
        model._pool = _glare_masked_pool.__get__(model, cls)
        return model


def _glare_masked_pool(self, h, frame):
    lum = frame.amin(1, keepdim=True)
    glare = (-F.max_pool2d(-lum, 3, stride=1, padding=1)) > self.glare_level
    glare = F.adaptive_max_pool2d(glare.float(), h.shape[-2:]) > 0
    score = self.attn(h).masked_fill(glare, -1e4).flatten(1).softmax(-1)
    return torch.einsum("bl,bcl->bc", score, h.flatten(2))


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, 64), torch.linspace(0, 1, 64), indexing="ij")
    pitch = 4 + 8 * torch.rand(n, 1, 1, 1)
    groove = (0.1 + 0.3 * torch.rand(n, 1, 1, 1)) * (torch.sin(2 * torch.pi * yy * pitch) > 0.3).float()
    x = (0.15 + groove + 0.05 * torch.randn(n, 1, 64, 64)).expand(n, 3, 64, 64).clone()
    x[: n // 3, :, 10:16, 20:30] = 1.0
    return x.clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": TreadNet.for_inspection_lane({"temperature": 1.3}).eval(), "inputs": _inputs, "kind": "benign"}
