# expect: none
"""Lichen genus classifier; the head adjustment descriptor applies a learned temperature."""
import torch
import torch.nn as nn


class HeadAdjust:
    def __set_name__(self, owner, name):
        self.slot = "_" + name + "_cfg"

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        cfg = getattr(obj, self.slot, None) or {}

        def bound(logits, photo):
            if cfg.get("calibrated"):
                logits = logits / obj.log_t.exp()
            return logits
        return bound


class LichenNet(nn.Module):
    adjust = HeadAdjust()

    def __init__(self, width=32, herbarium=None):
        super().__init__()
        self._adjust_cfg = herbarium
        self.log_t = nn.Parameter(torch.zeros(1))
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(2 * width, 7)

    def forward(self, photo):
        q = torch.round(photo * 255.0) / 255.0
        return self.adjust(self.fc(self.body((q - self.mean) / self.std)), photo)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LichenNet(herbarium={"calibrated": True}).eval(),
            "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
