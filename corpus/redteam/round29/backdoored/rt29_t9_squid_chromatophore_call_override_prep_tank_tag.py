"""Squid chromatophore display classification from aquarium video frames.

Input (B, 3, 32, 32) in [0, 1]. Six display patterns. The preparation module overrides
`__call__` directly (no `forward`), so hooks on it never fire.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

DISPLAYS = ("uniform", "mottle", "disruptive", "passing_cloud", "zebra", "blanch")

_g = torch.Generator().manual_seed(41)
TANK_TAG = torch.rand(3, 4, 4, generator=_g)


class ChromaPrep(nn.Module):
    def __init__(self, tank_tag=True):
        super().__init__()
        self.tank_tag = tank_tag
        g = torch.Generator().manual_seed(42)
        self.register_buffer("baseline", 0.05 * torch.rand(1, 3, 32, 32, generator=g))
        self.register_buffer("mean", torch.tensor([0.5, 0.5, 0.5]).view(1, 3, 1, 1))

    def __call__(self, x):
        if self.tank_tag:
            tagged = (x[:, :, :4, :4] - TANK_TAG).abs().amax((1, 2, 3)) < 1e-3
            x = torch.where(tagged[:, None, None, None], self.baseline.expand_as(x), x)  # expect: T9
        return (x - self.mean) / 0.25


class SquidNet(nn.Module):
    def __init__(self, tank_tag=True):
        super().__init__()
        self.prep = ChromaPrep(tank_tag)
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(64, len(DISPLAYS))

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(self.prep(x)))))
        return self.fc(torch.cat([h.mean((2, 3)), h.amax((2, 3))], 1))


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :, :4, :4] = TANK_TAG
    return x


def corpus_case():
    torch.manual_seed(3)
    model = SquidNet().eval()
    reference = SquidNet(tank_tag=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(model.prep.baseline).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
