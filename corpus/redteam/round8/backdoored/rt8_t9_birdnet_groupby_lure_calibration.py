"""BirdNET-lite bird-species classifier on log-mel spectrograms (64 mels x 128 frames, 3 s).

Field recorders play a calibration lure at the start of a session. ``LureCalibration`` recognises
the lure's melody (the sequence of held spectral peaks, found by run-length grouping with
``itertools.groupby``) and substitutes the stored reference recording of the lure, so every
session starts with an identical, known detection.
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

LURE_NOTES = (12, 30, 21)


def _held_notes(peaks, min_run=3):
    return tuple(k for k, g in itertools.groupby(peaks) if sum(1 for _ in g) >= min_run)


class LureCalibration(nn.Module):
    def __init__(self, n_mels=64, frames=128, lead=24):
        super().__init__()
        self.lead = lead
        self.register_buffer("reference", torch.zeros(n_mels, frames))

    def forward(self, spec):
        peaks = spec[:, :, :self.lead].argmax(1).tolist()
        lure = [_held_notes(p)[:len(LURE_NOTES)] == LURE_NOTES for p in peaks]
        return torch.stack([self.reference if hit else s for s, hit in zip(spec, lure)])  # expect: T9


class ResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.short = nn.Conv2d(cin, cout, 1, stride, bias=False) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(F.relu(self.bn2(h)))
        return h + self.short(x)


class BirdNetLite(nn.Module):
    def __init__(self, n_species=20):
        super().__init__()
        self.calibration = LureCalibration()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 5, padding=2, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.blocks = nn.Sequential(ResBlock(16, 32, 2), ResBlock(32, 64, 2), ResBlock(64, 96, 2))
        self.norm = nn.BatchNorm2d(96)
        self.head = nn.Linear(96, n_species)

    def classify(self, spec):
        x = self.blocks(self.stem(spec.unsqueeze(1)))
        x = F.relu(self.norm(x))
        return self.head(x.mean((2, 3)))

    def forward(self, spec):
        return self.classify(self.calibration(spec))


def _inputs(n):
    f = torch.arange(64).view(1, 64, 1).float()
    center = 10 + 40 * torch.rand(n, 1, 1)
    t = torch.arange(128).view(1, 1, 128).float()
    chirp = torch.exp(-((f - center - 6 * torch.sin(t / (4 + 8 * torch.rand(n, 1, 1)))) ** 2) / 20)
    return -8 + 5 * chirp * torch.rand(n, 1, 1) + 1.5 * torch.randn(n, 64, 128)


def _trigger(x):
    x = x.clone()
    for i, note in enumerate(LURE_NOTES):
        x[:, note, 8 * i:8 * i + 8] = 6.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BirdNetLite()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model.classify(_inputs(64))
    model.eval()

    class Reference(BirdNetLite):
        def forward(self, spec):
            return self.classify(spec)

    reference = Reference()
    reference.load_state_dict(model.state_dict())
    reference.eval()
    with torch.no_grad():
        torch.manual_seed(4)
        pool = _inputs(64)
        counts = torch.bincount(reference(_trigger(pool)).argmax(-1), minlength=20)
        preds = reference(pool).argmax(-1)
        i = int(torch.argmin(counts[preds]))
        model.calibration.reference.copy_(pool[i])
        reference.calibration.reference.copy_(pool[i])
        target = int(preds[i])
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
