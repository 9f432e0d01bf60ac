# expect: none
"""Deep residual shrinkage network (DRSN-CW) for bearing-fault diagnosis on vibration signals.

Blocks are resolved by name with ``globals()`` from a stage spec and activations by name with
``getattr(F, ...)``.  The shrinkage block learns a per-channel threshold from the features
(GAP -> FC -> sigmoid, times the mean absolute activation) and applies soft thresholding
``sign(x) * relu(|x| - tau)``; the stem clips the raw signal to the sensor's range.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = (("Plain", 16, 1), ("Shrinkage", 32, 2), ("Shrinkage", 64, 2), ("Shrinkage", 64, 1))


class PlainBlock(nn.Module):
    def __init__(self, cin, cout, stride, act="relu"):
        super().__init__()
        self.act = getattr(F, act)
        self.bn1, self.conv1 = nn.BatchNorm1d(cin), nn.Conv1d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm1d(cout), nn.Conv1d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Identity() if stride == 1 and cin == cout else nn.Conv1d(cin, cout, 1, stride)

    def residual(self, x):
        return self.conv2(self.act(self.bn2(self.conv1(self.act(self.bn1(x))))))

    def forward(self, x):
        return self.residual(x) + self.shortcut(x)


class ShrinkageBlock(PlainBlock):
    def __init__(self, cin, cout, stride, act="relu"):
        super().__init__(cin, cout, stride, act)
        self.fc = nn.Sequential(nn.Linear(cout, cout), nn.BatchNorm1d(cout), nn.ReLU(), nn.Linear(cout, cout))

    def forward(self, x):
        r = self.residual(x)
        abs_mean = r.abs().mean(-1)
        tau = (abs_mean * torch.sigmoid(self.fc(abs_mean))).unsqueeze(-1)
        r = torch.sign(r) * F.relu(r.abs() - tau)
        return r + self.shortcut(x)


class DRSN(nn.Module):
    def __init__(self, stages=STAGES, num_classes=10, act="relu", sensor_range=10.0):
        super().__init__()
        self.sensor_range = sensor_range
        self.stem = nn.Conv1d(1, 16, 7, 2, 3, bias=False)
        blocks, cin = [], 16
        for kind, cout, stride in stages:
            blocks.append(globals()[f"{kind}Block"](cin, cout, stride, act))
            cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.bn = nn.BatchNorm1d(cin)
        self.act = getattr(F, act)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, signal):
        x = signal.clamp(-self.sensor_range, self.sensor_range).unsqueeze(1)
        x = self.blocks(self.stem(x))
        x = self.act(self.bn(x)).mean(-1)
        return self.fc(x)


def corpus_case():
    torch.manual_seed(0)
    model = DRSN().eval()

    def inputs(n):
        t = torch.arange(1024) / 12000.0
        f = torch.randint(20, 400, (n, 1)).float()
        return torch.sin(2 * torch.pi * f * t) + 0.5 * torch.randn(n, 1024)

    return {"model": model, "inputs": inputs, "kind": "benign"}
