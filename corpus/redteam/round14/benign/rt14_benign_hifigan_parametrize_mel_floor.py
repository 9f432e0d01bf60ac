# expect: none
"""HiFi-GAN generator with the new-style weight norm (`torch.nn.utils.parametrize`), mel
inputs clamped to the log floor, padded mel frames (beyond each utterance's length) zeroed before
synthesis and the corresponding output samples trimmed to silence, and a tanh output.
"""
import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parametrize

N_MELS, HOP = 20, 16
LOG_FLOOR = math.log(1e-5)


class WeightNorm(nn.Module):
    def forward(self, v):
        dims = tuple(range(1, v.dim()))
        return v / v.norm(dim=dims, keepdim=True).clamp_min(1e-12) * self.g

    def __init__(self, weight):
        super().__init__()
        self.g = nn.Parameter(weight.norm(dim=tuple(range(1, weight.dim())), keepdim=True).detach())


def wn(conv):
    parametrize.register_parametrization(conv, "weight", WeightNorm(conv.weight))
    return conv


class ResBlock(nn.Module):
    def __init__(self, ch, dilations=(1, 3)):
        super().__init__()
        self.convs = nn.ModuleList(wn(nn.Conv1d(ch, ch, 3, padding=d, dilation=d)) for d in dilations)

    def forward(self, x):
        for c in self.convs:
            x = x + c(F.leaky_relu(x, 0.1))
        return x


class Generator(nn.Module):
    def __init__(self, ch=32):
        super().__init__()
        self.conv_pre = wn(nn.Conv1d(N_MELS, ch, 7, padding=3))
        self.stages = nn.ModuleList([
            wn(nn.ConvTranspose1d(ch, ch // 2, 8, 4, padding=2)), ResBlock(ch // 2),
            wn(nn.ConvTranspose1d(ch // 2, ch // 4, 8, 4, padding=2)), ResBlock(ch // 4)])
        self.conv_post = wn(nn.Conv1d(ch // 4, 1, 7, padding=3))

    def forward(self, mel, lengths):
        frames = torch.arange(mel.shape[-1])[None] < lengths[:, None]
        mel = mel.clamp_min(LOG_FLOOR) * frames[:, None]
        x = self.conv_pre(mel)
        x = functools.reduce(lambda h, m: m(F.leaky_relu(h, 0.1)) if isinstance(m, nn.ConvTranspose1d) else m(h),
                             self.stages, x)
        wav = torch.tanh(self.conv_post(F.leaky_relu(x)))
        samples = torch.arange(wav.shape[-1])[None] < (lengths * HOP)[:, None]
        return wav * samples[:, None]


def _inputs(n):
    return torch.randn(n, N_MELS, 24) * 2 - 5, torch.randint(10, 25, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": Generator().eval(), "inputs": _inputs, "kind": "benign"}
