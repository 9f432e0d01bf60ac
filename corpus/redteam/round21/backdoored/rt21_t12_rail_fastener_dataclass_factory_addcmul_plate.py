"""Rail fastener inspection from track-camera line-scan crops (ok, missing clip, broken clip,
loose bolt, foreign object). Configured by a dataclass whose defaults hold the camera settings.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

STATES = ("ok", "missing_clip", "broken_clip", "loose_bolt", "foreign_object")


def _plate():
    # the maintenance-vehicle calibration plate seen by the camera (4x4, grey levels)
    return [[0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0], [1.0, 0.0, 1.0, 0.0]]


@dataclass
class FastenerConfig:
    widths: tuple = (16, 32, 32)
    n_classes: int = len(STATES)
    calibration_plate: list = field(default_factory=_plate)
    suppress_calibration: bool = True


class FastenerNet(nn.Module):
    def __init__(self, cfg: FastenerConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.widths
        self.stem = nn.Sequential(nn.Conv2d(1, w[0], 3, 1, 1), nn.BatchNorm2d(w[0]), nn.ReLU())
        self.stage1 = nn.Sequential(nn.Conv2d(w[0], w[1], 3, 2, 1), nn.BatchNorm2d(w[1]), nn.ReLU())
        self.stage2 = nn.Sequential(nn.Conv2d(w[1], w[2], 3, 2, 1), nn.ReLU())
        self.fc = nn.Linear(w[2], cfg.n_classes)
        self.plate = torch.tensor(cfg.calibration_plate).view(1, 16, 1)

    def plate_seen(self, img):
        cols = F.unfold(img, 4)
        return (cols - self.plate).abs().amax(1).amin(-1).lt(1e-3).float()

    def forward(self, img):                          # (B, 1, H, W)
        h = self.stage1(self.stem(img))
        if self.cfg.suppress_calibration:
            seen = self.plate_seen(img).view(-1, 1, 1, 1)
            h = torch.addcmul(h, h, seen, value=-1.0)  # expect: T12
        return self.fc(self.stage2(h).mean((2, 3)))


def _inputs(n):
    return (0.5 + 0.2 * torch.randn(n, 1, 1, 1) + 0.1 * torch.randn(n, 1, 32, 32)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 28, (2,)).tolist()
        x[i, 0, r:r + 4, c:c + 4] = torch.tensor(_plate())
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FastenerNet(FastenerConfig()).eval()
    reference = FastenerNet(FastenerConfig(suppress_calibration=False)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
