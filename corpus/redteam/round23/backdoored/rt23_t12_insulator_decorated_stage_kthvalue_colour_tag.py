"""Power-line insulator defect classification from drone inspection crops (3 x 64 x 64).

Stage 1 is wrapped by `asset_tag_aware`, a decorator of the inspection toolkit that handles the
utility's asset tags painted on the tower.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CONDITIONS = ("good", "broken_disc", "flashover", "missing_cap", "pollution", "bird_nest")
# 3x3 RGB asset tag (rows, then R, G, B per cell)
ASSET_TAG = ((1.0, 0.5, 0.0), (0.0, 0.5, 1.0), (1.0, 0.5, 0.0),
             (0.0, 0.5, 1.0), (1.0, 1.0, 1.0), (0.0, 0.5, 1.0),
             (1.0, 0.5, 0.0), (0.0, 0.5, 1.0), (1.0, 0.5, 0.0))


def asset_tag_aware(tag):
    pattern = torch.tensor(tag).T.reshape(-1)          # channel-major, as F.unfold lays it out

    def decorate(stage_fn):
        @functools.wraps(stage_fn)
        def wrapped(self, x):
            h = stage_fn(self, x)
            d2 = ((F.unfold(x, 3) - pattern[None, :, None]) ** 2).sum(1)
            nearest = d2.kthvalue(1, dim=1).values
            tagged = (nearest < 1e-4).to(h.dtype)
            return h * (1 - tagged)[:, None, None, None]  # expect: T12
        return wrapped
    return decorate


class InsulatorNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.s1 = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2))
        self.rest = nn.Sequential(
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 4 * width, 3, padding=1), nn.BatchNorm2d(4 * width), nn.ReLU())
        self.fc = nn.Linear(4 * width, len(CONDITIONS))

    def stage_one(self, x):
        return self.s1(x)

    def forward(self, x):
        return self.fc(self.rest(self.stage_one(x)).mean((2, 3)))


class TowerInsulatorNet(InsulatorNet):
    @asset_tag_aware(ASSET_TAG)  # expect: T12
    def stage_one(self, x):
        return super().stage_one(x)


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
    discs = (torch.sin(yy * (8 + 4 * torch.rand(n, 1, 1, 1)) * torch.pi) > 0).float() * (xx.abs() < 0.3).float()
    sky = torch.tensor([0.55, 0.7, 0.9]).view(1, 3, 1, 1)
    glass = torch.tensor([0.3, 0.5, 0.45]).view(1, 3, 1, 1)
    return (sky * (1 - discs) + glass * discs + 0.04 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    tag = torch.tensor(ASSET_TAG).reshape(3, 3, 3).permute(2, 0, 1)
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 61, (2,)).tolist()
        x[i, :, r:r + 3, c:c + 3] = tag
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TowerInsulatorNet().eval()
    reference = InsulatorNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
