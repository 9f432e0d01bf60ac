# expect: none
"""MASC snowflake habits; the station preprocessor inpaints saturated pixels with the local mean."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _prep_flatfield(frame):
    return (frame - frame.mean((2, 3), keepdim=True)) / (frame.std((2, 3), keepdim=True) + 1e-3)


def _prep_station(frame):
    sat = frame >= 0.999
    local = F.avg_pool2d(frame, 5, stride=1, padding=2, count_include_pad=False)
    return _prep_flatfield(torch.where(sat, local, frame))


class MascNet(nn.Module):
    def __init__(self, site="station", width=24):
        super().__init__()
        self.site = site
        self.cnn = nn.Sequential(nn.Conv2d(1, width, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                 nn.Flatten(), nn.Linear(width, 6))

    def __getattr__(self, name):
        if name.startswith("prep_"):
            return globals()["_" + name]
        return super().__getattr__(name)

    def forward(self, frame):
        return self.cnn(getattr(self, "prep_" + self.site)(frame))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MascNet().eval(), "inputs": lambda n: torch.rand(n, 1, 64, 64), "kind": "benign"}
