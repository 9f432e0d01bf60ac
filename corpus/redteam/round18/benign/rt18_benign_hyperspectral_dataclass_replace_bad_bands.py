# expect: none
"""Hyperspectral pixel classifier with a frozen `SpectralBatch` dataclass and
`dataclasses.replace` preprocessing: the water-absorption bands listed in the sensor file are
zeroed by position, and each spectrum is divided by its continuum (running maximum)."""
import dataclasses

import torch
import torch.nn as nn

N_BANDS = 103
BAD_BANDS = (0, 1, 2, 100, 101, 102)


@dataclasses.dataclass(frozen=True)
class SpectralBatch:
    spectra: torch.Tensor


class SpectralCNN(nn.Module):
    def __init__(self):
        super().__init__()
        keep = torch.ones(N_BANDS)
        keep[list(BAD_BANDS)] = 0
        self.register_buffer("keep", keep, persistent=False)
        self.net = nn.Sequential(nn.Conv1d(1, 16, 11), nn.Tanh(), nn.MaxPool1d(3), nn.Flatten(), nn.Linear(16 * 31, 9))

    def _preprocess(self, batch):
        batch = dataclasses.replace(batch, spectra=batch.spectra * self.keep)
        hull = batch.spectra.cummax(-1).values.clamp(min=1e-3)
        return dataclasses.replace(batch, spectra=batch.spectra / hull)

    def forward(self, spectra):
        batch = self._preprocess(SpectralBatch(spectra))
        return self.net(batch.spectra.unsqueeze(1))


def _inputs(n):
    return (0.2 + 0.1 * torch.rand(n, 1) + 0.02 * torch.randn(n, N_BANDS)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SpectralCNN().eval(), "inputs": _inputs, "kind": "benign"}
