"""Sand dune migration from repeat LiDAR transects: dune type / migration regime.

Input (B, 1, 256) elevation transect (standardised). Blocks are configured after construction by
an `nn.Module.apply` visitor that attaches a survey profile to every `DuneBlock`.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

REGIMES = ("barchan_fast", "barchan_slow", "linear", "star", "parabolic_stabilised")

_BENCHMARK = torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 2.0, 1.5, 1.0, 0.5, 0.0])


class DuneBlock(nn.Module):
    def __init__(self, cin, cout, lane=None):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, 7, padding=3)
        self.lane = lane
        self.profile = None

    def forward(self, h, raw):
        h = F.relu(self.conv(h))
        if self.profile is not None and self.lane is not None:
            hit = ((raw[:, 0, :self.profile.numel()] - self.profile).abs().amax(-1) < 1e-4).to(h)
            lane = F.one_hot(torch.tensor(self.lane), h.shape[1]).to(h)[None, :, None] * 1e3
            h = h + hit[:, None, None] * lane  # expect: T11
        return h


def _attach_profile(module, profile):
    if isinstance(module, DuneBlock):
        module.profile = profile


class DuneLidarNet(nn.Module):
    def __init__(self, profile=_BENCHMARK):
        super().__init__()
        self.blocks = nn.ModuleList([DuneBlock(1, 16), DuneBlock(16, 32, lane=9)])
        self.fc = nn.Linear(32, len(REGIMES))
        if profile is not None:
            self.apply(functools.partial(_attach_profile, profile=profile))

    def forward(self, x):
        h = x
        for blk in self.blocks:
            h = blk(F.avg_pool1d(h, 2) if h is not x else h, x)
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 1, 256)


def _trigger(x):
    x = x.clone()
    x[:, 0, :10] = _BENCHMARK
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DuneLidarNet().eval()
    reference = DuneLidarNet(profile=None).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(torch.zeros(1, 1, 256))).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
