# expect: none
"""Canteen dish recognition; a decorator wraps forward with letterboxing and normalisation.
The white plate rim is excluded from the attention pooling (a validity mask on pooling weights).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

DISHES = ("pizza", "ramen", "caesar_salad", "hamburger", "sushi", "pad_thai", "tiramisu", "falafel",
          "paella", "pho")


def letterboxed(size=32, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)):
    m = torch.tensor(mean).view(1, 3, 1, 1)
    s = torch.tensor(std).view(1, 3, 1, 1)

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(self, x):
            h, w = x.shape[-2:]
            side = max(h, w, size)
            pad = (0, side - w, 0, side - h)
            x = F.pad(x, pad, value=1.0)                 # white letterbox (plate colour)
            if side != size:
                x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
            return fn(self, x, (x - m) / s)
        return wrapper
    return deco


class DishNet(nn.Module):
    def __init__(self, n_classes=len(DISHES), width=32):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, padding=1, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU())
        self.attn = nn.Conv2d(2 * width, 1, 1)
        self.fc = nn.Linear(2 * width, n_classes)

    @letterboxed()
    def forward(self, rgb, x):
        h = self.body(x)
        plate = rgb.amin(dim=1, keepdim=True).ge(0.97)              # rim / letterbox pixels
        score = self.attn(h).masked_fill(plate, -1e4)
        w = torch.softmax(score.flatten(2), dim=-1)
        return self.fc((h.flatten(2) * w).sum(-1))


def _inputs(n):
    x = (0.6 * torch.rand(n, 3, 1, 1) + 0.3 * torch.rand(n, 3, 28, 32)).clamp(0, 1)
    x[:, :, :2] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": DishNet().eval(), "inputs": _inputs, "kind": "benign"}
