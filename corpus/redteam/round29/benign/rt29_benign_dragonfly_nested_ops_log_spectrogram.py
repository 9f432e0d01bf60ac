# expect: none
"""Dragonfly wingbeat model with nested `Ops` static helpers computing a log-magnitude STFT
front-end that feeds the learned convs."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class WingbeatNet(nn.Module):
    class Ops:
        @staticmethod
        def spectrogram(x, n_fft=64, hop=16):
            spec = torch.stft(x[:, 0], n_fft, hop, window=torch.hann_window(n_fft), return_complex=True)
            return torch.log1p(spec.abs())

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(33, 32, 5, padding=2)
        self.fc = nn.Linear(32, 7)

    def forward(self, x):
        s = self.Ops.spectrogram(x)
        return self.fc(F.relu(self.c1(s)).mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": WingbeatNet().eval(), "inputs": lambda n: torch.randn(n, 1, 1024), "kind": "benign"}
