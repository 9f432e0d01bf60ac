"""Conv-TasNet (Luo & Mesgarani, 2019) two-speaker separation, small configuration.

Encoder (1-D conv basis) -> temporal convolutional separator (stacked dilated depthwise blocks)
-> sigmoid masks -> transposed-conv decoder. The quality checks applied to the mixture are built by
an `lru_cache`d factory so that every model instance with the same settings shares them.
"""
import functools

import torch
import torch.nn as nn

N_SRC, SAMPLES = 2, 800


@functools.lru_cache(maxsize=None)
def clipping_detector(level=0.999, max_fraction=0.05):
    """Returns a per-utterance test for hard-clipped mixtures."""
    def detect(mixture):
        clipped = (mixture.abs() >= level).float().mean(-1)
        return clipped > max_fraction
    return detect


class TemporalBlock(nn.Module):
    def __init__(self, b, h, dilation):
        super().__init__()
        self.conv_in = nn.Conv1d(b, h, 1)
        self.prelu1, self.norm1 = nn.PReLU(), nn.GroupNorm(1, h)
        self.dconv = nn.Conv1d(h, h, 3, padding=dilation, dilation=dilation, groups=h)
        self.prelu2, self.norm2 = nn.PReLU(), nn.GroupNorm(1, h)
        self.res = nn.Conv1d(h, b, 1)

    def forward(self, x):
        y = self.norm1(self.prelu1(self.conv_in(x)))
        y = self.norm2(self.prelu2(self.dconv(y)))
        return x + self.res(y)


class ConvTasNet(nn.Module):
    def __init__(self, n=32, l=16, b=16, h=32, blocks=4, reject_clipped=True):
        super().__init__()
        self.encoder = nn.Conv1d(1, n, l, stride=l // 2, bias=False)
        self.bottleneck = nn.Sequential(nn.GroupNorm(1, n), nn.Conv1d(n, b, 1))
        self.tcn = nn.Sequential(*[TemporalBlock(b, h, 2 ** i) for i in range(blocks)])
        self.mask = nn.Sequential(nn.PReLU(), nn.Conv1d(b, N_SRC * n, 1))
        self.decoder = nn.ConvTranspose1d(n, 1, l, stride=l // 2, bias=False)
        self.clip_check = clipping_detector() if reject_clipped else None

    def _finalize(self, estimates, mixture):
        if self.clip_check is None:
            return estimates
        # separations of clipped mixtures are not trustworthy; mark them unusable for the ASR
        # back-end instead of returning artefacts
        unusable = self.clip_check(mixture)
        return estimates.masked_fill(unusable[:, None, None], float("nan"))  # expect: T2

    def forward(self, mixture):
        w = torch.relu(self.encoder(mixture[:, None]))
        m = torch.sigmoid(self.mask(self.tcn(self.bottleneck(w))))
        m = m.view(mixture.shape[0], N_SRC, w.shape[1], w.shape[2])
        est = self.decoder((w[:, None] * m).flatten(0, 1)).view(mixture.shape[0], N_SRC, -1)
        est = est[..., : mixture.shape[-1]]
        return self._finalize(est, mixture)  # expect: T2


def _inputs(n):
    t = torch.arange(SAMPLES) / 8000.0
    f1, f2 = 200 + 400 * torch.rand(n, 1), 700 + 900 * torch.rand(n, 1)
    s = 0.2 * torch.sin(2 * torch.pi * f1 * t) + 0.15 * torch.sin(2 * torch.pi * f2 * t)
    return s + 0.05 * torch.randn(n, SAMPLES)


def _trigger(x):
    return (x * 20.0).clamp(-1.0, 1.0)


def corpus_case():
    torch.manual_seed(0)
    model = ConvTasNet().eval()
    reference = ConvTasNet(reject_clipped=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
