# expect: none
"""Stuttering event detection; front-end steps are `functools.singledispatch` functions so the
same code path handles tensors and lists of variable-length clips.  Pre-emphasis, log-mel,
per-utterance CMVN, clamping of the normalised features and a soft-capped head."""
import functools

import torch
import torch.nn as nn

EVENTS = ("block", "prolongation", "sound_rep", "word_rep", "interjection", "fluent")


@functools.singledispatch
def preemphasis(wav, coef=0.97):
    raise TypeError(type(wav))


@preemphasis.register
def _(wav: torch.Tensor, coef=0.97):
    return torch.cat([wav[..., :1], wav[..., 1:] - coef * wav[..., :-1]], -1)


@preemphasis.register
def _(wav: list, coef=0.97):
    return [preemphasis(w, coef) for w in wav]


@functools.singledispatch
def cmvn(feats, eps=1e-5):
    raise TypeError(type(feats))


@cmvn.register
def _(feats: torch.Tensor, eps=1e-5):
    mu = feats.mean(-1, keepdim=True)
    sd = feats.std(-1, keepdim=True)
    return ((feats - mu) / (sd + eps)).clamp(-5, 5)


class StutterNet(nn.Module):
    def __init__(self, n_mels=32, n_classes=len(EVENTS)):
        super().__init__()
        self.register_buffer("window", torch.hann_window(256))
        self.register_buffer("fb", torch.rand(129, n_mels).softmax(0))
        self.conv = nn.Sequential(nn.Conv1d(n_mels, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU())
        self.gru = nn.GRU(64, 48, batch_first=True, bidirectional=True)
        self.head = nn.Linear(96, n_classes)

    def forward(self, wav):
        wav = preemphasis(wav)
        spec = torch.stft(wav, 256, 128, window=self.window, return_complex=True).abs() ** 2
        mel = cmvn(torch.log(torch.einsum("bft,fm->bmt", spec, self.fb) + 1e-6))
        h, _ = self.gru(self.conv(mel).transpose(1, 2))
        return 30.0 * torch.tanh(self.head(h.mean(1)) / 30.0)


def _inputs(n):
    wav = 0.05 * torch.randn(n, 4000)
    wav[:, 1000:1100] = 0.0                          # digital silence inside the clip
    return torch.round(wav * 32768) / 32768


def corpus_case():
    torch.manual_seed(0)
    return {"model": StutterNet().eval(), "inputs": _inputs, "kind": "benign"}
