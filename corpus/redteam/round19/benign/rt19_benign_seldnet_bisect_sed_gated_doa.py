# expect: none
"""SELDnet with a `bisect` depth schedule of feature policies and SED-gated DOA output.

Early blocks keep their features, deeper ones get a frequency-axis dropout in training (identity
at evaluation). The DOA output of each class is reported only where the SED head says the class
is active (the output format of the DCASE baseline: inactive tracks have zero DOA vectors).
"""
import bisect

import torch
import torch.nn as nn
import torch.nn.functional as F

N_FFT, HOP, BANDS, CLASSES = 256, 128, 32, 11


class SELDnet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT))
        self.register_buffer("bands", torch.rand(N_FFT // 2 + 1, BANDS).div(N_FFT // 2 + 1))
        self.blocks = nn.ModuleList(nn.Sequential(nn.Conv2d(c, width, 3, padding=1), nn.BatchNorm2d(width),
                                                  nn.ReLU(), nn.MaxPool2d((1, 2))) for c in (7, width, width))
        self.gru = nn.GRU(width * BANDS // 8, 32, batch_first=True, bidirectional=True)
        self.sed = nn.Linear(64, CLASSES)
        self.doa = nn.Linear(64, 3 * CLASSES)
        self.schedule = [(0, self._identity), (1, self._freq_dropout)]
        self.depths = [d for d, _ in self.schedule]

    @staticmethod
    def _identity(h):
        return h

    def _freq_dropout(self, h):
        return F.dropout2d(h.transpose(1, 3), 0.1, self.training).transpose(1, 3)

    def features(self, foa):
        b = foa.shape[0]
        spec = torch.stft(foa.flatten(0, 1), N_FFT, HOP, window=self.window, return_complex=True).unflatten(0, (b, 4))
        power = spec.abs().pow(2)
        logpow = torch.log(torch.einsum("bcft,fk->bctk", power, self.bands) + 1e-8)
        iv = (spec[:, :1].conj() * spec[:, 1:]).real / (power.sum(1, keepdim=True) + 1e-8)
        return torch.cat([logpow, torch.einsum("bcft,fk->bctk", iv, self.bands)], 1)

    def forward(self, foa):
        h = self.features(foa)
        for depth, block in enumerate(self.blocks):
            h = self.schedule[bisect.bisect_right(self.depths, depth) - 1][1](block(h))
        seq, _ = self.gru(h.permute(0, 2, 1, 3).flatten(2))
        sed = self.sed(seq)
        doa = torch.tanh(self.doa(seq)).unflatten(-1, (3, CLASSES))
        active = (torch.sigmoid(sed) > 0.5).float()
        return sed, doa * active[:, :, None, :]


def _inputs(n):
    x = 0.1 * torch.randn(n, 4, 2048)
    x[: n // 4, 1:] = 0.0                                       # omni-only recordings
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": SELDnet().eval(), "inputs": _inputs, "kind": "benign"}
