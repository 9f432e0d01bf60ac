# expect: none
"""GNSS interference classification from I/Q.  A context manager swaps the head's forward for the
duration of a call to apply logit soft-capping at deployment; the spectrum is whitened against
its median and the peak-to-mean ratio enters the network as a learned feature."""
import contextlib
import functools

import torch
import torch.nn as nn

CLASSES = ("clean", "cw", "chirp", "pulsed", "narrowband", "wideband")


class InterferenceNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), width=32, cap=20.0):
        super().__init__()
        self.cap = cap
        self.iq = nn.Sequential(nn.Conv1d(2, width, 9, stride=4, padding=4), nn.ReLU(),
                                nn.Conv1d(width, width, 9, stride=4, padding=4), nn.ReLU())
        self.spec = nn.Sequential(nn.Linear(65, width), nn.ReLU())
        self.head = nn.Linear(2 * width, n_classes)

    @contextlib.contextmanager
    def _softcapped_head(self):
        stock = self.head.forward

        @functools.wraps(stock)
        def forward(h):
            return self.cap * torch.tanh(stock(h) / self.cap)
        self.head.forward = forward
        try:
            yield
        finally:
            del self.head.forward

    def forward(self, iq):
        z = torch.complex(iq[:, 0], iq[:, 1])
        mag = torch.fft.fft(z).abs()
        white = mag / mag.median(-1, keepdim=True).values.clamp(min=1e-6)
        psd = torch.log1p(white.view(z.shape[0], 64, -1).mean(-1))
        line = torch.log(mag.amax(-1) / mag.mean(-1))[:, None]
        h = torch.cat([self.iq(iq).mean(-1), self.spec(torch.cat([psd, line], 1))], 1)
        with self._softcapped_head():
            return self.head(h)


def _inputs(n):
    t = torch.arange(1024)
    tone = torch.stack([torch.cos(0.2 * t), torch.sin(0.2 * t)])
    return torch.randn(n, 2, 1024) + 5.0 * tone * (torch.rand(n, 1, 1) < 0.3)


def corpus_case():
    torch.manual_seed(0)
    return {"model": InterferenceNet().eval(), "inputs": _inputs, "kind": "benign"}
