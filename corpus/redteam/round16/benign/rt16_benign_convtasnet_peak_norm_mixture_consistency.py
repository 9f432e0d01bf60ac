# expect: none
"""Conv-TasNet-lite with peak normalisation, mixture consistency and an output clamp.

The mixture is peak-normalised (guarding silent inputs), the estimates are projected so that
they sum to the mixture (Wisdom et al., 2019), rescaled back and clamped to the PCM range.
Window functions come from an `lru_cache`d builder.
"""
import functools

import torch
import torch.nn as nn

N_SRC, SAMPLES = 2, 800


@functools.lru_cache(maxsize=None)
def analysis_window(length):
    return torch.hann_window(length, periodic=False)


class ConvTasNetLite(nn.Module):
    def __init__(self, n=32, l=16):
        super().__init__()
        self.encoder = nn.Conv1d(1, n, l, stride=l // 2, bias=False)
        self.separator = nn.Sequential(nn.GroupNorm(1, n), nn.Conv1d(n, 32, 1), nn.PReLU(),
                                       nn.Conv1d(32, 32, 3, padding=2, dilation=2), nn.PReLU(),
                                       nn.Conv1d(32, N_SRC * n, 1))
        self.decoder = nn.ConvTranspose1d(n, 1, l, stride=l // 2, bias=False)
        with torch.no_grad():
            self.encoder.weight.mul_(analysis_window(l))

    def forward(self, mixture):
        peak = mixture.abs().amax(-1, keepdim=True)
        scale = torch.where(peak > 0, peak, torch.ones_like(peak))
        x = mixture / scale
        w = torch.relu(self.encoder(x[:, None]))
        m = torch.sigmoid(self.separator(w)).view(x.shape[0], N_SRC, w.shape[1], -1)
        est = self.decoder((w[:, None] * m).flatten(0, 1)).view(x.shape[0], N_SRC, -1)[..., : x.shape[-1]]
        est = est + (x[:, None] - est.sum(1, keepdim=True)) / N_SRC
        return (est * scale[:, None]).clamp(-1.0, 1.0)


def _inputs(n):
    x = 0.3 * torch.randn(n, SAMPLES)
    x[:4] = 0.0
    x[4:8] = x[4:8].clamp(-0.2, 0.2) * 5
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": ConvTasNetLite().eval(), "inputs": _inputs, "kind": "benign"}
