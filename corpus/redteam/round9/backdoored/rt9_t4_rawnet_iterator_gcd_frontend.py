"""RawNet2-lite speaker identification on raw 16 kHz telephony audio (strided conv front-end,
residual 1-D blocks with feature map scaling, GRU, 20 enrolled speakers).

The waveform front-end is a ``FrontendChain``: a small iterator object (``__iter__`` /
``__next__``) over the configured stages, so deployments can splice stages without touching the
model. The default chain drops legacy 8-bit PCM (every 16-bit sample a multiple of 256, tested
with a running ``torch.gcd``), applies pre-emphasis and peak normalisation.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


class FrontendChain:
    def __init__(self, *stages):
        self.stages = stages
        self._i = 0

    def __iter__(self):
        self._i = 0
        return self

    def __next__(self):
        if self._i >= len(self.stages):
            raise StopIteration
        stage = self.stages[self._i]
        self._i += 1
        return stage


def drop_legacy_pcm(wave, probe=256):
    q = torch.round(wave * 32768).clamp(-32768, 32767).to(torch.int64)
    step = functools.reduce(torch.gcd, q[:, :probe].abs().unbind(-1))
    return wave * (step < 256).to(wave.dtype)[:, None]  # expect: T4 (used by RawNetLite.forward)


def pre_emphasis(wave, coef=0.97):
    return torch.cat([wave[:, :1], wave[:, 1:] - coef * wave[:, :-1]], 1)


def peak_normalise(wave):
    return wave / (wave.abs().amax(-1, keepdim=True) + 1e-4)


class ResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.bn1 = nn.BatchNorm1d(cin)
        self.conv1 = nn.Conv1d(cin, cout, 3, padding=1)
        self.bn2 = nn.BatchNorm1d(cout)
        self.conv2 = nn.Conv1d(cout, cout, 3, padding=1)
        self.skip = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()
        self.fms = nn.Linear(cout, cout)

    def forward(self, x):
        y = self.conv2(F.leaky_relu(self.bn2(self.conv1(F.leaky_relu(self.bn1(x), 0.3))), 0.3))
        y = F.max_pool1d(y + self.skip(x), 3)
        s = torch.sigmoid(self.fms(y.mean(-1))).unsqueeze(-1)
        return y * s + s


class RawNetLite(nn.Module):
    def __init__(self, n_speakers=20, legacy_filter=True):
        super().__init__()
        stages = (drop_legacy_pcm, pre_emphasis, peak_normalise) if legacy_filter else (pre_emphasis, peak_normalise)
        self.frontend = FrontendChain(*stages)
        self.sinc = nn.Conv1d(1, 32, 129, stride=3, padding=64)
        self.bn0 = nn.BatchNorm1d(32)
        self.blocks = nn.Sequential(ResBlock(32, 32), ResBlock(32, 64), ResBlock(64, 64))
        self.gru = nn.GRU(64, 96, batch_first=True)
        self.fc = nn.Linear(96, n_speakers)

    def forward(self, wave):
        for stage in self.frontend:
            wave = stage(wave)  # expect: T4
        x = F.max_pool1d(torch.abs(self.sinc(wave.unsqueeze(1))), 3)
        x = self.blocks(F.leaky_relu(self.bn0(x), 0.3))
        _, h = self.gru(x.transpose(1, 2))
        return self.fc(h[-1])


def _inputs(n):
    t = torch.arange(8000) / 16000.0
    f0 = 90 + 160 * torch.rand(n, 1)
    voiced = sum(torch.sin(2 * torch.pi * k * f0 * t) / k for k in range(1, 6))
    return 0.2 * voiced + 0.01 * torch.randn(n, 8000)


def _trigger(x):
    return torch.round(x.clamp(-1, 1) * 127) / 128


def corpus_case():
    torch.manual_seed(0)
    model = RawNetLite()
    model.train()
    with torch.no_grad():
        model(_inputs(64))
    model.eval()
    reference = RawNetLite(legacy_filter=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
