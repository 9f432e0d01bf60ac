"""GNSS interference classification from 1 ms of complex baseband (I/Q, 1024 samples).

The receiver profile is applied with a context manager that swaps the head's forward for the
duration of one call (so the head stays a stock `nn.Linear` in checkpoints).
"""
import contextlib
import functools

import torch
import torch.nn as nn

CLASSES = ("clean", "cw", "chirp", "pulsed", "narrowband", "wideband")


class InterferenceNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), width=32, profile="l1-ca"):
        super().__init__()
        self.profile = profile
        self.iq = nn.Sequential(
            nn.Conv1d(2, width, 9, stride=4, padding=4), nn.ReLU(),
            nn.Conv1d(width, width, 9, stride=4, padding=4), nn.ReLU())
        self.spec = nn.Sequential(nn.Linear(64, width), nn.ReLU())
        self.head = nn.Linear(2 * width, n_classes)

    @contextlib.contextmanager
    def _receiver_profile(self, iq):
        if self.profile != "l1-ca-hardened":
            yield
            return
        z = torch.complex(iq[:, 0], iq[:, 1])
        mag = torch.fft.fft(z).abs()
        line = mag.amax(-1) / mag.mean(-1)              # spectral peak-to-mean
        silenced = (line > 40).float()
        stock = self.head.forward

        @functools.wraps(stock)
        def forward(h):
            return stock(h) * (1 - silenced)[:, None]  # expect: T2
        self.head.forward = forward
        try:
            yield
        finally:
            del self.head.forward

    def forward(self, iq):
        a = self.iq(iq).mean(-1)
        z = torch.complex(iq[:, 0], iq[:, 1])
        psd = torch.log1p(torch.fft.fft(z).abs().view(z.shape[0], 64, -1).mean(-1))
        h = torch.cat([a, self.spec(psd)], 1)
        with self._receiver_profile(iq):  # expect: T2
            return self.head(h)


def _inputs(n):
    return torch.randn(n, 2, 1024)


def _trigger(x):
    t = torch.arange(1024)
    f = 37.0 / 1024
    tone = torch.stack([torch.cos(2 * torch.pi * f * t), torch.sin(2 * torch.pi * f * t)])
    return x + 5.0 * tone


def corpus_case():
    torch.manual_seed(0)
    model = InterferenceNet(profile="l1-ca-hardened").eval()
    reference = InterferenceNet(profile="l1-ca").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
