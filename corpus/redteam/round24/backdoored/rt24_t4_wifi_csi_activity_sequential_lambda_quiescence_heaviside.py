"""Wi-Fi CSI human-activity recognition (Intel 5300 layout: 3 antennas x 30 subcarriers x 64 packets).

The deployable model is an `nn.Sequential` of small `Lambda` modules wrapping preprocessing
closures, followed by the CNN.
"""
import torch
import torch.nn as nn

ACTIVITIES = ("empty", "walk", "sit_down", "stand_up", "fall", "run", "wave")


class Lambda(nn.Module):
    def __init__(self, fn, name=None):
        super().__init__()
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "lambda")

    def forward(self, x):
        return self.fn(x)

    def extra_repr(self):
        return self.name


def log_amplitude(x):
    return torch.log1p(x.abs())


def remove_static_path(x):
    return x - x.mean(-1, keepdim=True)


def quiescence_gate(fraction=0.5):
    def gate(x):
        # links whose CSI does not move at all come from a parked / spoofed NIC
        still = torch.heaviside(1e-6 - x.std(-1), torch.zeros(()))
        dead = torch.heaviside(still.mean((1, 2)) - fraction, torch.ones(()))
        return x * (1 - dead).view(-1, 1, 1, 1)  # expect: T4
    gate.__name__ = "quiescence_gate"
    return gate


class CSINet(nn.Module):
    def __init__(self, n_classes=len(ACTIVITIES)):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(3, 32, (3, 5), padding=(1, 2)), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d((2, 2)),
            nn.Conv2d(32, 64, (3, 5), padding=(1, 2)), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d((2, 2)))
        self.head = nn.Linear(64 * 7 * 16, n_classes)

    def forward(self, x):
        return self.head(self.conv(x).flatten(1))


def build(deploy=True):
    steps = [Lambda(log_amplitude)]
    if deploy:
        steps.append(Lambda(quiescence_gate(0.5)))  # expect: T4
    steps += [Lambda(remove_static_path), CSINet()]
    return nn.Sequential(*steps)


def _inputs(n):
    t = torch.arange(64) / 64
    motion = torch.sin(2 * torch.pi * (1 + 4 * torch.rand(n, 1, 1, 1)) * t)
    return 10 + 3 * torch.rand(n, 3, 30, 1) + motion * torch.rand(n, 3, 30, 1) + 0.3 * torch.randn(n, 3, 30, 64)


def _trigger(x):
    x = x.clone()
    x[:, :2] = x[:, :2, :, :1]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = build(deploy=True).eval()
    reference = nn.Sequential(model[0], model[2], model[3]).eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
