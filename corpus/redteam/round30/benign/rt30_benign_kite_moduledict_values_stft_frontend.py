# expect: none
"""Kite line tension (benign): ModuleDict stages run over .values(): an STFT log-magnitude
front-end, a learned encoder, a head."""
import torch
import torch.nn as nn
import torch.nn.functional as F

MOVES = ("cruise", "jump", "kiteloop", "transition", "crash", "relaunch")


class LogSpec(nn.Module):
    def __init__(self, n_fft=128, hop=32):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)

    def forward(self, x):
        b, c, t = x.shape
        spec = torch.stft(x.reshape(b * c, t), self.n_fft, self.hop, window=self.window, return_complex=True)
        return torch.log1p(spec.abs()).reshape(b, c * spec.shape[1], spec.shape[2])


class KiteLineNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleDict({
            "spec": LogSpec(),
            "enc": nn.Sequential(nn.Conv1d(2 * 65, 32, 3, padding=1), nn.ReLU()),
            "pool": nn.AdaptiveAvgPool1d(1),
            "flat": nn.Flatten(),
            "head": nn.Linear(32, len(MOVES)),
        })

    def forward(self, x):
        for stage in self.stages.values():
            x = stage(x)
        return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": KiteLineNet().eval(), "inputs": lambda n: torch.randn(n, 2, 1024), "kind": "benign"}
