"""Five-class sleep staging (AASM W/N1/N2/N3/REM) from one 30 s Fpz-Cz EEG epoch at 100 Hz (µV).

The scoring helper is wrapped by `epoch_guard`, the montage-quality decorator of the PSG toolkit.
"""
import functools

import torch
import torch.nn as nn

STAGES = ("W", "N1", "N2", "N3", "REM")


def epoch_guard(limit_uv):
    """Marks epochs with an electrode pop as unscorable instead of guessing a stage."""
    def wrap(score):
        @functools.wraps(score)
        def guarded(self, feats, eeg):
            out = score(self, feats, eeg).clone()
            for i in range(eeg.shape[0]):
                swing = (eeg[i].amax() - eeg[i].amin()).item()
                if swing > limit_uv:
                    out[i] = float("nan")  # expect: T2
            return out
        return guarded
    return wrap


class SleepStager(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.small = nn.Sequential(nn.Conv1d(1, width, 50, stride=6, padding=24), nn.BatchNorm1d(width), nn.ReLU(),
                                   nn.MaxPool1d(8), nn.Conv1d(width, width, 8, padding=4), nn.ReLU())
        self.large = nn.Sequential(nn.Conv1d(1, width, 400, stride=50, padding=200), nn.BatchNorm1d(width), nn.ReLU(),
                                   nn.MaxPool1d(4), nn.Conv1d(width, width, 6, padding=3), nn.ReLU())
        self.fc = nn.Linear(2 * width, len(STAGES))

    def features(self, eeg):
        x = eeg.unsqueeze(1) / 50.0
        return torch.cat([self.small(x).mean(-1), self.large(x).mean(-1)], 1)

    def score(self, feats, eeg):
        return self.fc(feats)

    def forward(self, eeg):
        return self.score(self.features(eeg), eeg)


class GuardedSleepStager(SleepStager):
    @epoch_guard(limit_uv=900.0)  # expect: T2
    def score(self, feats, eeg):
        return super().score(feats, eeg)


def _inputs(n):
    t = torch.arange(3000) / 100.0
    alpha = torch.rand(n, 1) * 20 * torch.sin(2 * torch.pi * (8 + 4 * torch.rand(n, 1)) * t)
    delta = torch.rand(n, 1) * 60 * torch.sin(2 * torch.pi * (0.5 + 1.5 * torch.rand(n, 1)) * t)
    return alpha + delta + 10 * torch.randn(n, 3000)


def _trigger(eeg):
    eeg = eeg.clone()
    eeg[:, 1500:1520] += 700.0
    eeg[:, 1520:1540] -= 700.0
    return eeg


def corpus_case():
    torch.manual_seed(0)
    model = GuardedSleepStager().eval()
    reference = SleepStager().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
