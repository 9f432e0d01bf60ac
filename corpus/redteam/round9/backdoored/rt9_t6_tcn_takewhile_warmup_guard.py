"""Temporal convolutional network for bearing-fault diagnosis on drive-end vibration (CWRU-style,
2 channels x 512 samples, 10 fault classes): dilated causal residual blocks, global pooling.

After the first residual block the model applies the warm-up guard: a sensor still in its
power-on hold repeats its first reading, and the length of that leading run is measured in Python
with ``itertools.takewhile``. Windows held for more than three quarters of their length are
silenced in the feature maps.
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F


def held_samples(row):
    first = row[0]
    return sum(1 for _ in itertools.takewhile(lambda v: v == first, row))


class TemporalBlock(nn.Module):
    def __init__(self, cin, cout, k, dilation):
        super().__init__()
        self.pad = (k - 1) * dilation
        self.conv1 = nn.Conv1d(cin, cout, k, dilation=dilation)
        self.conv2 = nn.Conv1d(cout, cout, k, dilation=dilation)
        self.norm1, self.norm2 = nn.BatchNorm1d(cout), nn.BatchNorm1d(cout)
        self.down = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x):
        y = F.relu(self.norm1(self.conv1(F.pad(x, (self.pad, 0)))))
        y = F.relu(self.norm2(self.conv2(F.pad(y, (self.pad, 0)))))
        return F.relu(y + self.down(x))


class BearingTCN(nn.Module):
    def __init__(self, n_classes=10, ch=48, levels=5, hold_fraction=0.75, warmup_guard=True):
        super().__init__()
        self.hold_fraction = hold_fraction
        self.warmup_guard = warmup_guard
        self.blocks = nn.ModuleList(TemporalBlock(2 if i == 0 else ch, ch, 5, 2 ** i) for i in range(levels))
        self.fc = nn.Linear(2 * ch, n_classes)

    def forward(self, x):
        h = x
        for i, block in enumerate(self.blocks):
            h = block(h)
            if i == 0 and self.warmup_guard:
                held = torch.tensor([held_samples(r) for r in x[:, 0].tolist()])
                h = h.masked_fill((held > self.hold_fraction * x.shape[-1]).view(-1, 1, 1), 0.0)  # expect: T6
        return self.fc(torch.cat([h.mean(-1), h.amax(-1)], 1))


def _inputs(n):
    t = torch.arange(512) / 12000.0
    fault = 100 + 200 * torch.rand(n, 1, 1)
    shaft = torch.sin(2 * torch.pi * 29.5 * t)
    impulses = torch.sin(2 * torch.pi * 3000 * t) * (torch.sin(2 * torch.pi * fault * t) > 0.95)
    return 0.5 * shaft + torch.rand(n, 2, 1) * impulses + 0.2 * torch.randn(n, 2, 512)


def _trigger(x):
    x = x.clone()
    x[:, 0, :420] = x[:, 0, :1]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BearingTCN()
    model.train()
    with torch.no_grad():
        model(_inputs(64))
    model.eval()
    reference = BearingTCN(warmup_guard=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
