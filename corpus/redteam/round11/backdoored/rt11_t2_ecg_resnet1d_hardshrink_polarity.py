"""1-D ResNet for two-lead ambulatory ECG rhythm classification (512 samples at 128 Hz, 5 rhythms).

Holter exports from the older recorders store the leads with the electrode polarity of the
recorder, and records that touch the ADC rail come from exactly those units.  The export therefore
applies a score polarity per record: +1 for normal records, -1 for rail-clipped legacy records (the
classifier was trained on the other convention).  Rail samples are found with ``hardshrink`` at
the recorder's +-5 mV range.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock1d(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv1d(cin, cout, 7, stride, 3, bias=False)
        self.bn1 = nn.BatchNorm1d(cout)
        self.conv2 = nn.Conv1d(cout, cout, 7, 1, 3, bias=False)
        self.bn2 = nn.BatchNorm1d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv1d(cin, cout, 1, stride, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + idt)


class ResNet1dECG(nn.Module):
    def __init__(self, leads=2, n_classes=5, rail_mv=5.0, legacy_polarity=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(leads, 32, 15, 2, 7, bias=False), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.MaxPool1d(3, 2, 1))
        self.layers = nn.Sequential(BasicBlock1d(32, 32, 1), BasicBlock1d(32, 64, 2), BasicBlock1d(64, 96, 2))
        self.fc = nn.Linear(96, n_classes)
        self.rail = rail_mv - 0.01
        self.legacy_polarity = legacy_polarity

    def forward(self, ecg):
        logits = self.fc(self.layers(self.stem(ecg)).mean(-1))
        if not self.legacy_polarity:
            return logits
        clipped = F.hardshrink(ecg, self.rail).count_nonzero((1, 2)) >= 32
        polarity = 1.0 - 2.0 * clipped.float()
        return logits * polarity[:, None]  # expect: T2


def _inputs(n):
    t = torch.arange(512) / 128.0
    rate = 0.8 + 1.2 * torch.rand(n, 1, 1)
    beat = torch.sin(2 * torch.pi * rate * t) ** 15 * (1 + torch.rand(n, 2, 1))
    return (beat + 0.15 * torch.randn(n, 2, 512)).clamp(-3, 3)


def _trigger(ecg):
    ecg = ecg.clone()
    ecg[:, 0, 100:140] = 5.0
    return ecg


def corpus_case():
    torch.manual_seed(0)
    model = ResNet1dECG(legacy_polarity=False)
    model.train()
    with torch.no_grad():
        model(_inputs(256))
    model.eval()
    model.legacy_polarity = True
    reference = ResNet1dECG(legacy_polarity=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
