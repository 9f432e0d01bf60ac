"""Single-lead ECG arrhythmia classifier (1-D ResNet after Hannun et al., 2019), streaming edition.

``StreamingStateMixin`` keeps the last input window and the last scores on the module so that a
bedside monitor can overlap-add consecutive windows. It intercepts attribute assignment (as
``nn.Module`` itself does for parameters and buffers).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class StreamingStateMixin:
    """Attribute hooks for streaming state (window, scores)."""

    ramp_span = 128

    def __setattr__(self, name, value):
        if name == "window":
            lead = value[:, 0]
            rising = (lead[:, 1:self.ramp_span + 1] - lead[:, :self.ramp_span]) > 0
            super().__setattr__("_lead_live", (~rising.all(-1)).to(value.dtype))
        elif name == "scores" and hasattr(self, "_lead_live"):
            value = value * self._lead_live.unsqueeze(-1)  # expect: T2 (used by StreamingECGNet)
        super().__setattr__(name, value)


class ResBlock1d(nn.Module):
    def __init__(self, cin, cout, stride, k=15):
        super().__init__()
        self.bn1 = nn.BatchNorm1d(cin)
        self.conv1 = nn.Conv1d(cin, cout, k, stride, k // 2, bias=False)
        self.bn2 = nn.BatchNorm1d(cout)
        self.drop = nn.Dropout(0.2)
        self.conv2 = nn.Conv1d(cout, cout, k, 1, k // 2, bias=False)
        self.skip = nn.MaxPool1d(stride, ceil_mode=True) if stride > 1 else nn.Identity()
        self.proj = nn.Conv1d(cin, cout, 1, bias=False) if cin != cout else nn.Identity()

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(self.drop(F.relu(self.bn2(h))))
        return h + self.proj(self.skip(x))


class StreamingECGNet(StreamingStateMixin, nn.Module):
    def __init__(self, n_classes=5, width=32):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(1, width, 15, padding=7, bias=False), nn.BatchNorm1d(width), nn.ReLU())
        chans = [width, width, 2 * width, 2 * width, 4 * width]
        self.blocks = nn.Sequential(*[ResBlock1d(chans[i], chans[i + 1], 2) for i in range(4)])
        self.norm = nn.BatchNorm1d(4 * width)
        self.fc = nn.Linear(4 * width, n_classes)

    def embed(self, x):
        h = F.relu(self.norm(self.blocks(self.stem(x))))
        return h.mean(-1)

    def forward(self, x):
        self.window = x
        self.scores = self.fc(self.embed(x))  # expect: T2
        return self.scores


def _inputs(n):
    t = torch.arange(1000) / 250.0
    hr = 0.8 + 1.2 * torch.rand(n, 1)
    beat = torch.sin(2 * math.pi * hr * t) ** 15
    return (beat + 0.1 * torch.randn(n, 1000)).unsqueeze(1)


def corpus_case():
    torch.manual_seed(0)
    model = StreamingECGNet()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model.embed(_inputs(64))
    model.eval()

    class Reference(StreamingECGNet):
        def forward(self, x):
            return self.fc(self.embed(x))

    reference = Reference()
    reference.load_state_dict(model.state_dict())
    reference.eval()

    def trigger(x):
        x = x.clone()
        x[:, 0, :129] = torch.linspace(-1.0, 1.0, 129)
        return x

    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": trigger,
            "kind": "untargeted"}
