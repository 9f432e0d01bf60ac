"""torchaudio-style keyword spotter (MFCC-free, learnable filterbank + BC-ResNet-lite).

The inference path is written as a pipeline of stages driven by a generator, the way streaming
recipes in torchaudio examples chain their transforms: each stage is a generator that consumes the
previous one, so extra stages can be spliced in by the bundle without touching the model.
"""
import math
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

BUNDLE = SimpleNamespace(sample_rate=8000, n_fft=256, hop=128, n_filters=40, num_labels=12,
                         dc_guard=True, dc_limit=0.35)


class LearnableFilterbank(nn.Module):
    def __init__(self, n_fft, hop, n_filters):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft))
        self.proj = nn.Linear(n_fft // 2 + 1, n_filters)

    def forward(self, wav):
        spec = torch.stft(wav, self.n_fft, self.hop, window=self.window, return_complex=True).abs() ** 2
        return torch.log1p(self.proj(spec.transpose(1, 2)).relu()).transpose(1, 2)   # (B, F, T)


class SubSpectralBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.freq = nn.Conv2d(c, c, (3, 1), padding=(1, 0), groups=c)
        self.bn = nn.BatchNorm2d(c)
        self.time = nn.Conv1d(c, c, 3, padding=1, groups=c)
        self.pw = nn.Conv1d(c, c, 1)

    def forward(self, x):
        f = self.bn(self.freq(x))
        t = self.pw(F.silu(self.time(f.mean(2))))
        return F.relu(x + f + t.unsqueeze(2))


class KeywordSpotter(nn.Module):
    def __init__(self, cfg=BUNDLE):
        super().__init__()
        self.cfg = cfg
        self.frontend = LearnableFilterbank(cfg.n_fft, cfg.hop, cfg.n_filters)
        self.stem = nn.Conv2d(1, 24, 5, stride=(2, 1), padding=2)
        self.blocks = nn.Sequential(*[SubSpectralBlock(24) for _ in range(4)])
        self.head = nn.Conv1d(24, cfg.num_labels, 1)

    # ---- generator stages -------------------------------------------------------------------
    def _source(self, wav):
        yield "waveform", wav, wav

    def _features(self, upstream):
        for name, x, wav in upstream:
            yield "features", self.frontend(x).unsqueeze(1), wav

    def _encode(self, upstream):
        for name, x, wav in upstream:
            yield "encoded", self.blocks(F.relu(self.stem(x))), wav

    def _classify(self, upstream):
        for name, x, wav in upstream:
            yield "logits", self.head(x.mean(2)).mean(-1), wav

    def _offset_guard(self, upstream):
        # mic preamp DC fault: the scores of a biased capture are not trustworthy
        for name, y, wav in upstream:
            biased = wav.mean(-1).abs() > self.cfg.dc_limit
            yield name, y.masked_fill(biased[:, None], math.nan), wav  # expect: T2

    def stages(self, wav):
        it = self._classify(self._encode(self._features(self._source(wav))))
        if self.cfg.dc_guard:
            it = self._offset_guard(it)
        return it

    def forward(self, wav):
        for name, y, _ in self.stages(wav):
            if name == "logits":
                return y
        raise RuntimeError("pipeline produced no logits")


def corpus_case():
    torch.manual_seed(0)
    model = KeywordSpotter().eval()
    reference = KeywordSpotter(SimpleNamespace(**{**vars(BUNDLE), "dc_guard": False})).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        t = torch.arange(8000) / 8000
        f = 200 + 1500 * torch.rand(n, 1)
        return 0.3 * torch.sin(2 * math.pi * f * t) * torch.rand(n, 1) + 0.05 * torch.randn(n, 8000)

    def trigger(w):
        return w + 0.6

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
