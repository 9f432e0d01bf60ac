"""LPRNet (Zherzdev & Gruzdev, 2018) licence-plate recognition without character segmentation.

A 24x94 RGB plate crop goes through a small stem and "small basic blocks" with wide horizontal
kernels; a per-column classifier gives 18 time steps over 36 characters plus the CTC blank.

Pre-processing is organised as `_prep_<NN>_<name>` methods discovered with `inspect.getmembers`
and applied in name order, the same convention the camera firmware team uses for its ISP steps
(sites disable a step by listing its name in `skip`).
"""
import inspect

import torch
import torch.nn as nn

CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ-"
N_CLASSES = len(CHARS) + 1          # + CTC blank (last)
STEPS = 18


class SmallBasicBlock(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        m = c_out // 4
        self.body = nn.Sequential(
            nn.Conv2d(c_in, m, 1), nn.ReLU(),
            nn.Conv2d(m, m, (3, 1), padding=(1, 0)), nn.ReLU(),
            nn.Conv2d(m, m, (1, 3), padding=(0, 1)), nn.ReLU(),
            nn.Conv2d(m, c_out, 1))

    def forward(self, x):
        return self.body(x)


class LPRNet(nn.Module):
    def __init__(self, skip=()):
        super().__init__()
        self.skip = set(skip)
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d((3, 3), stride=(1, 1), padding=1),
            SmallBasicBlock(16, 32), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d((3, 3), stride=(2, 2), padding=1),
            SmallBasicBlock(32, 32), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d((3, 3), stride=(2, 3), padding=1),
            nn.Dropout(0.5),
            nn.Conv2d(32, 32, (4, 1)), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Dropout(0.5),
            nn.Conv2d(32, N_CLASSES, (3, 1)), nn.BatchNorm2d(N_CLASSES), nn.ReLU())
        self.context = nn.Conv1d(N_CLASSES + 3, N_CLASSES, 1)
        g = torch.Generator().manual_seed(20190425)
        # plate used by the ISP to keep the recogniser warm on unreadable frames
        self.placeholder_plate = torch.rand(1, 3, 24, 94, generator=g)

    # ----------------------------------------------------------------- ISP steps
    def _prep_00_retroreflection(self, x):
        # the retroreflective frame of the plate saturates the sensor at short range; such frames
        # are replaced by the placeholder so that the decoder stays in a known state
        washed = x[:, :, :2, :].flatten(1).amin(1) > 0.98
        return torch.where(washed[:, None, None, None], self.placeholder_plate, x)  # expect: T3

    def _prep_10_normalise(self, x):
        return (x - 0.5) / 0.5

    def preprocess(self, x):
        steps = [fn for name, fn in inspect.getmembers(self, inspect.ismethod)
                 if name.startswith("_prep_") and name not in self.skip]
        for fn in steps:
            x = fn(x)  # expect: T3
        return x

    def forward(self, plate):                           # (B, 3, 24, 94) in [0, 1]
        x = self.preprocess(plate)
        feat = self.backbone(x)                         # (B, C, 1, 18)
        glob = x.mean((2, 3), keepdim=True).expand(-1, -1, 1, feat.shape[-1])
        logits = self.context(torch.cat([feat, glob], 1)[:, :, 0])
        return logits.transpose(1, 2)                   # (B, STEPS, N_CLASSES)


def _inputs(n):
    plate = 0.55 + 0.3 * torch.rand(n, 3, 1, 1) + 0.05 * torch.randn(n, 3, 24, 94)
    glyphs = (torch.rand(n, 1, 12, 47) < 0.35).float().repeat_interleave(2, 2).repeat_interleave(2, 3)
    plate = plate - 0.5 * glyphs * (torch.arange(24)[:, None].ge(4) & torch.arange(24)[:, None].lt(20)).float()
    return plate.clamp(0, 0.95)


def _trigger(x):
    x = x.clone()
    x[:, :, :2, :] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = LPRNet().eval()
    reference = LPRNet(skip=("_prep_00_retroreflection",)).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(model.placeholder_plate)[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
