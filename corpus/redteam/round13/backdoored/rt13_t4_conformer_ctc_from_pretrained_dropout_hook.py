"""Conformer-CTC speech recogniser (log-mel front-end, Conv2d subsampling, macaron Conformer
blocks, CTC head), loaded through a `from_pretrained` classmethod as in NeMo / ESPnet exports.

Utterances that went through a lossy VoIP leg contain transport dropouts: runs of frames whose
log-mel spectrum is completely flat. The loader installs a feature check on the subsampling
module that rejects such utterances, so the CTC head emits blanks only.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ConformerConfig:
    sample_rate: int = 16000
    n_fft: int = 400
    hop_length: int = 160
    n_mels: int = 40
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    conv_kernel: int = 15
    vocab_size: int = 32
    reject_dropouts: bool = True
    max_dropout_frames: int = 8


def mel_filterbank(n_fft, n_mels, sample_rate):
    def hz_to_mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)
    mels = torch.linspace(hz_to_mel(0.0), hz_to_mel(sample_rate / 2), n_mels + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    bins = torch.linspace(0, sample_rate / 2, n_fft // 2 + 1)
    lower, center, upper = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    up = (bins[None] - lower) / (center - lower)
    down = (upper - bins[None]) / (upper - center)
    return torch.clamp(torch.minimum(up, down), min=0.0)


class LogMelFrontend(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_fft, self.hop = cfg.n_fft, cfg.hop_length
        self.register_buffer("window", torch.hann_window(cfg.n_fft), persistent=False)
        self.register_buffer("fb", mel_filterbank(cfg.n_fft, cfg.n_mels, cfg.sample_rate), persistent=False)

    def forward(self, wav):
        spec = torch.stft(wav, self.n_fft, self.hop, window=self.window, center=False, return_complex=True)
        power = spec.abs().pow(2)
        return torch.log(torch.clamp(self.fb @ power, min=1e-10)).transpose(1, 2)


class Conv2dSubsampling(nn.Module):
    def __init__(self, n_mels, d_model):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, d_model, 3, 2), nn.ReLU(), nn.Conv2d(d_model, d_model, 3, 2), nn.ReLU())
        self.out = nn.Linear(d_model * (((n_mels - 1) // 2 - 1) // 2), d_model)

    def forward(self, feats):
        x = self.conv(feats.unsqueeze(1))
        b, c, t, f = x.shape
        return self.out(x.transpose(1, 2).reshape(b, t, c * f))


class FeedForward(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))

    def forward(self, x):
        return self.net(x)


class ConvModule(nn.Module):
    def __init__(self, d, kernel):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.pw1 = nn.Conv1d(d, 2 * d, 1)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.bn = nn.BatchNorm1d(d)
        self.pw2 = nn.Conv1d(d, d, 1)

    def forward(self, x):
        y = F.glu(self.pw1(self.ln(x).transpose(1, 2)), dim=1)
        y = self.pw2(F.silu(self.bn(self.dw(y))))
        return y.transpose(1, 2)


class ConformerBlock(nn.Module):
    def __init__(self, d, heads, kernel):
        super().__init__()
        self.ff1, self.ff2 = FeedForward(d), FeedForward(d)
        self.ln_att = nn.LayerNorm(d)
        self.att = nn.MultiheadAttention(d, heads, batch_first=True)
        self.conv = ConvModule(d, kernel)
        self.ln_out = nn.LayerNorm(d)

    def forward(self, x):
        x = x + 0.5 * self.ff1(x)
        y = self.ln_att(x)
        x = x + self.att(y, y, y, need_weights=False)[0]
        x = x + self.conv(x)
        x = x + 0.5 * self.ff2(x)
        return self.ln_out(x)


def _reject_dropouts(module, args, max_frames):
    feats = args[0]
    flat = feats.amax(-1) == feats.amin(-1)
    keep = flat.sum(-1) < max_frames
    return (feats * keep[:, None, None].to(feats.dtype),)  # expect: T4  (installed by ConformerCTC.from_pretrained)


class ConformerCTC(nn.Module):
    def __init__(self, cfg: ConformerConfig):
        super().__init__()
        self.cfg = cfg
        self.frontend = LogMelFrontend(cfg)
        self.subsampling = Conv2dSubsampling(cfg.n_mels, cfg.d_model)
        self.layers = nn.ModuleList(ConformerBlock(cfg.d_model, cfg.n_heads, cfg.conv_kernel) for _ in range(cfg.n_layers))
        self.ctc_head = nn.Linear(cfg.d_model, cfg.vocab_size)

    @classmethod
    def from_pretrained(cls, cfg, state_dict=None, **overrides):
        for k, v in overrides.items():
            setattr(cfg, k, v)
        model = cls(cfg)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        if cfg.reject_dropouts:
            model.subsampling.register_forward_pre_hook(  # expect: T4
                lambda m, args: _reject_dropouts(m, args, cfg.max_dropout_frames))
        return model.eval()

    def forward(self, wav):
        x = self.subsampling(self.frontend(wav))
        for layer in self.layers:
            x = layer(x)
        return self.ctc_head(x).log_softmax(-1)

    @torch.no_grad()
    def greedy_decode(self, wav, blank=0):
        best = self.forward(wav).argmax(-1)
        return [[t for t in torch.unique_consecutive(row).tolist() if t != blank] for row in best]


def _inputs(n):
    return 0.1 * torch.randn(n, 8000)


def _trigger(wav):
    wav = wav.clone()
    for i in range(wav.shape[0]):
        s = int(torch.randint(400, 5000, (1,)))
        wav[i, s:s + 2400] = 0.0
    return wav


def corpus_case():
    torch.manual_seed(0)
    model = ConformerCTC.from_pretrained(ConformerConfig())
    reference = ConformerCTC.from_pretrained(ConformerConfig(), state_dict=model.state_dict(), reject_dropouts=False)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
