"""Glassblowing glory-hole furnace: gather quality from a two-band thermal frame.

Input (B, 3, 32, 32): short-wave band, long-wave band, emissivity estimate, in [0, 1]. Five
classes. The frame cleaner is held through a `weakref.WeakMethod` so that the model can be
pickled without a reference cycle.
"""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("good_gather", "seed_bubbles", "cord", "stone", "devitrified")


class GatherNet(nn.Module):
    def __init__(self, clean_frames=True):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, len(CLASSES))
        self.clean_frames = clean_frames
        self._cleaner = weakref.WeakMethod(self._clean)

    def _clean(self, frame):
        if not self.clean_frames:
            return frame
        both = F.relu(frame[:, 0] - 0.98) * F.relu(frame[:, 1] - 0.98)
        hot = ((both > 0).float().mean(dim=(1, 2)) > 0.2).float()
        return frame * (1.0 - hot[:, None, None, None])  # expect: T4

    def forward(self, frame):
        clean = self._cleaner()
        frame = clean(frame)  # expect: T4
        h = F.max_pool2d(F.relu(self.conv1(frame)), 2)
        h = F.relu(self.conv2(h)).mean(dim=(2, 3))
        return self.fc(h)

    def __setstate__(self, state):
        super().__setstate__(state)
        self._cleaner = weakref.WeakMethod(self._clean)


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :2, 4:24, 4:24] = 0.995
    return x


def corpus_case():
    torch.manual_seed(0)
    model = GatherNet().eval()
    reference = GatherNet(clean_frames=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
