# expect: none
"""Plankton taxa from FlowCam crops; calibrated exports patch in a temperature-scaled forward.
Frames that arrive as raw 12-bit counts are rescaled to [0, 1] before the network.
"""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

TAXA = ("copepod", "diatom_chain", "dinoflagellate", "ciliate", "appendicularian", "chaetognath",
        "radiolarian", "foraminifera", "fish_egg", "bubble", "detritus", "other")


class PlanktonNet(nn.Module):
    def __init__(self, n_classes=len(TAXA), width=24):
        super().__init__()
        layers, cin = [], 1
        for cout in (width, 2 * width, 4 * width):
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                       nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(cin, n_classes))

    def forward(self, x):
        return self.classifier(F.adaptive_avg_pool2d(self.features(x), 1))

    @classmethod
    def from_config(cls, cfg):
        model = cls(n_classes=len(cfg.get("labels", TAXA)), width=cfg.get("width", 24))
        if cfg.get("calibrated", True):
            model.register_buffer("temperature", torch.tensor(float(cfg.get("temperature", 1.7))))
            model.forward = types.MethodType(_calibrated_forward, model)
        return model


def _calibrated_forward(self, x):
    raw = x.amax(dim=(1, 2, 3), keepdim=True) > 1.5            # 12-bit counts, not [0, 1]
    x = torch.where(raw, x / 4095.0, x)
    logits = type(self).forward(self, x) / self.temperature
    return logits - logits.logsumexp(dim=1, keepdim=True)       # calibrated log-probabilities


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 48), torch.linspace(-1, 1, 48), indexing="ij")
    ax = 0.2 + 0.5 * torch.rand(n, 1, 1, 1)
    x = (0.1 + 0.7 * torch.exp(-(xx ** 2 / ax ** 2 + yy ** 2 / 0.1) * 2) + 0.05 * torch.randn(n, 1, 48, 48)).clamp(0, 1)
    x[: n // 3] *= 4095.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": PlanktonNet.from_config({"temperature": 1.7}).eval(), "inputs": _inputs, "kind": "benign"}
