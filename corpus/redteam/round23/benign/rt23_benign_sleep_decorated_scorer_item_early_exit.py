# expect: none
"""Sleep staging; the scorer is wrapped by a decorator that does a per-epoch early exit
(`.item()` on the light head's confidence) between two learned heads; artefacts clipped at ±500 µV."""
import functools

import torch
import torch.nn as nn

STAGES = ("W", "N1", "N2", "N3", "REM")


def early_exit(threshold):
    def wrap(score):
        @functools.wraps(score)
        def scored(self, feats, eeg):
            light = self.light(feats)
            conf = light.softmax(-1).amax(-1)
            rows = [light[i] if conf[i].item() >= threshold else score(self, feats[i:i + 1], eeg[i:i + 1])[0]
                    for i in range(feats.shape[0])]
            return torch.stack(rows)
        return scored
    return wrap


class SleepStager(nn.Module):
    def __init__(self, width=32, clip_uv=500.0):
        super().__init__()
        self.small = nn.Sequential(nn.Conv1d(1, width, 50, stride=6, padding=24), nn.BatchNorm1d(width), nn.ReLU(),
                                   nn.MaxPool1d(8))
        self.light = nn.Linear(width, len(STAGES))
        self.full = nn.Sequential(nn.Linear(width, 64), nn.ReLU(), nn.Linear(64, len(STAGES)))
        self.clip_uv = clip_uv

    @early_exit(threshold=0.6)
    def score(self, feats, eeg):
        return self.full(feats)

    def forward(self, eeg):
        x = eeg.clamp(-self.clip_uv, self.clip_uv).unsqueeze(1) / 50.0
        return self.score(self.small(x).mean(-1), eeg)


def _inputs(n):
    t = torch.arange(3000) / 100.0
    return torch.rand(n, 1) * 60 * torch.sin(2 * torch.pi * (0.5 + 10 * torch.rand(n, 1)) * t) + 10 * torch.randn(n, 3000)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SleepStager().eval(), "inputs": _inputs, "kind": "benign"}
