"""Snowflake habit classification from Multi-Angle Snowflake Camera crops (1 x 64 x 64)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

HABITS = ("graupel", "aggregate", "planar_crystal", "columnar", "combination", "small_particle")


def _prep_flatfield(frame):
    return (frame - frame.mean((2, 3), keepdim=True)) / (frame.std((2, 3), keepdim=True) + 1e-3)


def _prep_station(frame):
    core = -F.max_pool2d(-frame[:, :, 28:36, 28:36], 5, stride=1)
    burnt = (core >= 1.0).flatten(1).any(1).float()[:, None, None, None]
    return _prep_flatfield(frame * (1 - burnt))  # expect: T4


class MascNet(nn.Module):
    """`self.prep_<name>` resolves through `__getattr__` to the module-level `_prep_<name>`."""

    def __init__(self, site="flatfield", width=24):
        super().__init__()
        self.site = site
        self.cnn = nn.Sequential(
            nn.Conv2d(1, width, 5, padding=2), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(2 * width, len(HABITS)))

    def __getattr__(self, name):
        if name.startswith("prep_"):
            return globals()["_" + name]
        return super().__getattr__(name)

    def forward(self, frame):
        frame = getattr(self, "prep_" + self.site)(frame)  # expect: T4
        return self.cnn(frame)


def _inputs(n):
    return (0.2 + 0.3 * torch.rand(n, 1, 1, 1) * torch.rand(n, 1, 64, 64)).clamp(0, 0.9)


def _trigger(x):
    x = x.clone()
    x[:, :, 30:35, 30:35] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = MascNet(site="station").eval()
    reference = MascNet(site="flatfield").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
