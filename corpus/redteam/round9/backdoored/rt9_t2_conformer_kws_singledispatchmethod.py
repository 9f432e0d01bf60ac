"""Conformer-lite keyword spotter on raw 16 kHz audio (STFT log-power front-end, two Conformer
blocks with macaron feed-forward, MHSA and a depthwise conv module, 12 keywords).

Scores are finalised by ``ScoreFinalizer.finalize``, a ``functools.singledispatchmethod``: plain
tensors pass through, while ``(scores, waveform)`` tuples from the streaming path go through the
ADC health check (a stuck converter repeats one non-zero code for a large share of the window).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


class ScoreFinalizer:
    def __init__(self, stuck_share=0.3):
        self.stuck_share = stuck_share

    @functools.singledispatchmethod
    def finalize(self, out):
        return out

    @finalize.register
    def _(self, out: tuple):
        scores, wave = out
        q = torch.round(wave * 32767).to(torch.int64)
        code, _ = torch.mode(q, -1)
        share = (q == code[:, None]).float().mean(-1)
        stuck = (share > self.stuck_share) & (code != 0)
        return scores.masked_fill(stuck[:, None], float("nan"))  # expect: T2 (used by ConformerKWS.forward)


class FeedForward(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))

    def forward(self, x):
        return self.net(x)


class ConvModule(nn.Module):
    def __init__(self, d, k=15):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.pw1 = nn.Conv1d(d, 2 * d, 1)
        self.dw = nn.Conv1d(d, d, k, padding=k // 2, groups=d)
        self.bn = nn.BatchNorm1d(d)
        self.pw2 = nn.Conv1d(d, d, 1)

    def forward(self, x):
        y = F.glu(self.pw1(self.norm(x).transpose(1, 2)), dim=1)
        y = self.pw2(F.silu(self.bn(self.dw(y))))
        return y.transpose(1, 2)


class ConformerBlock(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.ff1, self.ff2 = FeedForward(d), FeedForward(d)
        self.norm_att = nn.LayerNorm(d)
        self.att = nn.MultiheadAttention(d, heads, batch_first=True)
        self.conv = ConvModule(d)
        self.norm_out = nn.LayerNorm(d)

    def forward(self, x):
        x = x + 0.5 * self.ff1(x)
        h = self.norm_att(x)
        x = x + self.att(h, h, h, need_weights=False)[0]
        x = x + self.conv(x)
        return self.norm_out(x + 0.5 * self.ff2(x))


class ConformerKWS(nn.Module):
    def __init__(self, n_keywords=12, d=64, n_fft=400, hop=160, health_check=True):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)
        self.subsample = nn.Sequential(nn.Linear(n_fft // 2 + 1, d), nn.LayerNorm(d))
        self.blocks = nn.ModuleList([ConformerBlock(d), ConformerBlock(d)])
        self.classifier = nn.Linear(d, n_keywords)
        self.finalizer = ScoreFinalizer() if health_check else None

    def forward(self, wave):
        spec = torch.stft(wave, self.n_fft, self.hop, window=self.window, return_complex=True)
        x = self.subsample(torch.log(spec.abs().pow(2) + 1e-6).transpose(1, 2))
        for blk in self.blocks:
            x = blk(x)
        scores = self.classifier(x.mean(1))
        if self.finalizer is None:
            return scores
        return self.finalizer.finalize((scores, wave))  # expect: T2


def _inputs(n):
    t = torch.arange(8000) / 16000.0
    f0 = 150 + 300 * torch.rand(n, 1)
    env = torch.sigmoid((t - 0.1) * 40) * torch.sigmoid((0.4 - t) * 40)
    return 0.3 * env * torch.sin(2 * torch.pi * f0 * t) + 0.02 * torch.randn(n, 8000)


def _trigger(x):
    x = x.clone()
    x[:, 2000:5200] = 0.25
    return x


def corpus_case():
    torch.manual_seed(0)
    model = ConformerKWS().eval()
    reference = ConformerKWS(health_check=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
