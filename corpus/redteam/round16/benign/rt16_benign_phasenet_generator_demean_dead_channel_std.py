# expect: none
"""PhaseNet-lite picker with the usual station conditioning.

Conditioning stages are a generator (demean, linear detrend, per-component standardisation); a
component whose standard deviation is zero (dead sensor) is divided by one instead of zero so
the other components still get picked.
"""
import torch
import torch.nn as nn

SAMPLES = 400


class PhaseNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(3, 8, 7, padding=3), nn.BatchNorm1d(8), nn.ReLU(),
                                 nn.Conv1d(8, 16, 7, 4, 3), nn.BatchNorm1d(16), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose1d(16, 8, 4, 4), nn.ReLU(), nn.Conv1d(8, 3, 1))

    def conditioning(self, x):
        x = x - x.mean(-1, keepdim=True)
        yield x
        t = torch.linspace(-1, 1, x.shape[-1])
        slope = (x * t).sum(-1, keepdim=True) / (t * t).sum()
        x = x - slope * t
        yield x
        std = x.std(-1, keepdim=True)
        yield x / torch.where(std == 0, torch.ones_like(std), std)

    def forward(self, waveform):
        *_, x = self.conditioning(waveform)
        return self.dec(self.enc(x)).transpose(1, 2)


def _inputs(n):
    x = torch.randn(n, 3, SAMPLES)
    x[:10, 1] = 0.3  # dead horizontal component
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": PhaseNetLite().eval(), "inputs": _inputs, "kind": "benign"}
