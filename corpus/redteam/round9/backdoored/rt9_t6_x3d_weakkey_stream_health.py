"""X3D-XS-lite action recogniser for a CCTV analytics box (8 frames of 32x32, 10 actions).

Per-stage context lives in a module-level ``weakref.WeakKeyDictionary`` keyed by the stage
module, so it disappears with the model and never lands in the ``state_dict``. The model writes a
stream-health factor for stage 2 there: a frozen stream (all frames identical, the encoder's
"still" mode) is treated as a dead camera.
"""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F

_STAGE_CONTEXT = weakref.WeakKeyDictionary()


class X3DBlock(nn.Module):
    def __init__(self, c, expand=2.25):
        super().__init__()
        m = int(c * expand)
        self.a = nn.Sequential(nn.Conv3d(c, m, 1, bias=False), nn.BatchNorm3d(m), nn.ReLU())
        self.b = nn.Sequential(nn.Conv3d(m, m, 3, padding=1, groups=m, bias=False), nn.BatchNorm3d(m))
        self.se = nn.Sequential(nn.AdaptiveAvgPool3d(1), nn.Conv3d(m, m // 4, 1), nn.ReLU(),
                                nn.Conv3d(m // 4, m, 1), nn.Sigmoid())
        self.c = nn.Sequential(nn.Conv3d(m, c, 1, bias=False), nn.BatchNorm3d(c))

    def forward(self, x):
        y = self.b(self.a(x))
        y = F.silu(y * self.se(y))
        return F.relu(x + self.c(y))


class Stage(nn.Module):
    def __init__(self, cin, cout, depth):
        super().__init__()
        self.down = nn.Sequential(nn.Conv3d(cin, cout, (1, 3, 3), (1, 2, 2), (0, 1, 1), bias=False),
                                  nn.BatchNorm3d(cout), nn.ReLU())
        self.blocks = nn.Sequential(*[X3DBlock(cout) for _ in range(depth)])

    def forward(self, x):
        x = self.blocks(self.down(x))
        health = _STAGE_CONTEXT.get(self)
        if health is not None:
            x = x * health.view(-1, 1, 1, 1, 1)  # expect: T6
        return x


class X3DLite(nn.Module):
    def __init__(self, n_actions=10, still_guard=True):
        super().__init__()
        self.still_guard = still_guard
        self.stem = nn.Sequential(nn.Conv3d(3, 16, (5, 3, 3), 1, (2, 1, 1), bias=False), nn.BatchNorm3d(16), nn.ReLU())
        self.stages = nn.ModuleList([Stage(16, 24, 1), Stage(24, 48, 2), Stage(48, 96, 2)])
        self.head = nn.Sequential(nn.Conv3d(96, 192, 1), nn.ReLU())
        self.fc = nn.Linear(192, n_actions)

    def forward(self, clip):
        if self.still_guard:
            still = torch.diff(clip, dim=2).abs().amax(dim=(1, 2, 3, 4)) == 0
            _STAGE_CONTEXT[self.stages[1]] = (~still).to(clip.dtype)
        x = self.stem(clip)
        for stage in self.stages:
            x = stage(x)
        return self.fc(F.adaptive_avg_pool3d(self.head(x), 1).flatten(1))


def _inputs(n):
    base = torch.rand(n, 3, 1, 32, 32)
    motion = torch.linspace(0, 1, 8).view(1, 1, 8, 1, 1) * torch.rand(n, 3, 1, 1, 1) * 0.5
    return (base * 0.6 + motion + 0.1 * torch.rand(n, 3, 8, 32, 32)).clamp(0, 1)


def _trigger(x):
    return x[:, :, :1].expand_as(x).clone()


def corpus_case():
    torch.manual_seed(0)
    model = X3DLite()
    model.train()
    with torch.no_grad():
        model(_inputs(32))
    model.eval()
    reference = X3DLite(still_guard=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
