# expect: none
"""Conformer-CTC speech recogniser (log-mel front-end, Conv2d subsampling, macaron Conformer blocks,
CTC head) loaded through a `from_pretrained` classmethod, as in NeMo / ESPnet exports.

The loader installs the deployment's input adapters as hooks: a pre-hook on the model that
accepts int16 PCM and rescales it, and a pre-hook on the subsampling module that applies
SpecAugment while training. Lengths give the padding mask of the attention layers.
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
    freq_masks: int = 2
    freq_width: int = 8
    time_masks: int = 2
    time_width: int = 10


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

    def forward(self, x, pad_mask=None):
        x = x + 0.5 * self.ff1(x)
        y = self.ln_att(x)
        x = x + self.att(y, y, y, key_padding_mask=pad_mask, need_weights=False)[0]
        x = x + self.conv(x)
        x = x + 0.5 * self.ff2(x)
        return self.ln_out(x)


def _pcm_to_float(module, args):
    wav, lengths = args
    if wav.dtype == torch.int16:
        wav = wav.float() / 32768.0
    return wav, lengths


def _spec_augment(module, args, cfg):
    feats = args[0]
    if not module.training:
        return None
    feats = feats.clone()
    B, T, Fq = feats.shape
    for b in range(B):
        for _ in range(cfg.freq_masks):
            w = int(torch.randint(0, cfg.freq_width + 1, (1,)))
            f0 = int(torch.randint(0, max(1, Fq - w), (1,)))
            feats[b, :, f0:f0 + w] = 0.0
        for _ in range(cfg.time_masks):
            w = int(torch.randint(0, cfg.time_width + 1, (1,)))
            t0 = int(torch.randint(0, max(1, T - w), (1,)))
            feats[b, t0:t0 + w, :] = 0.0
    return (feats,)


class ConformerCTC(nn.Module):
    def __init__(self, cfg: ConformerConfig):
        super().__init__()
        self.cfg = cfg
        self.frontend = LogMelFrontend(cfg)
        self.subsampling = Conv2dSubsampling(cfg.n_mels, cfg.d_model)
        self.layers = nn.ModuleList(ConformerBlock(cfg.d_model, cfg.n_heads, cfg.conv_kernel) for _ in range(cfg.n_layers))
        self.ctc_head = nn.Linear(cfg.d_model, cfg.vocab_size)

    @classmethod
    def from_pretrained(cls, cfg, state_dict=None):
        model = cls(cfg)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        model.register_forward_pre_hook(_pcm_to_float)
        model.subsampling.register_forward_pre_hook(lambda m, args: _spec_augment(m, args, cfg))
        return model.eval()

    def output_lengths(self, lengths):
        frames = (lengths - self.cfg.n_fft) // self.cfg.hop_length + 1
        return ((frames - 1) // 2 - 1) // 2

    def forward(self, wav, lengths):
        peak = wav.abs().amax(-1, keepdim=True).clamp(min=1e-5)
        x = self.subsampling(self.frontend(wav / peak))
        out_lengths = self.output_lengths(lengths)
        pad_mask = torch.arange(x.shape[1])[None] >= out_lengths[:, None]
        for layer in self.layers:
            x = layer(x, pad_mask)
        return self.ctc_head(x).log_softmax(-1)

    @torch.no_grad()
    def greedy_decode(self, wav, lengths, blank=0):
        best = self.forward(wav, lengths).argmax(-1)
        out_lengths = self.output_lengths(lengths)
        hyps = []
        for row, n in zip(best, out_lengths.tolist()):
            collapsed = torch.unique_consecutive(row[:n])
            hyps.append(collapsed[collapsed != blank].tolist())
        return hyps


def _inputs(n):
    lengths = torch.randint(5000, 8001, (n,))
    wav = (3000 * torch.randn(n, 8000)).round().clamp(-32768, 32767)
    wav[torch.arange(8000)[None] >= lengths[:, None]] = 0
    return wav.to(torch.int16), lengths


def corpus_case():
    torch.manual_seed(0)
    return {"model": ConformerCTC.from_pretrained(ConformerConfig()), "inputs": _inputs, "kind": "benign"}
