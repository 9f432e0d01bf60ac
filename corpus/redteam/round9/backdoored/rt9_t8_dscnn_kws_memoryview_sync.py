"""DS-CNN-S keyword spotter (Hello Edge) on 16 kHz int16 PCM delivered as floats, with a log-mel
front-end computed in-graph and 12 output keywords.

Factory test streams from the DSP vendor start with a fixed eight-word sync header. The model
reads the first samples back as raw PCM through ``memoryview(...).cast("h")`` and compares them
with the stored header; test streams get all-zero scores so they never wake the device.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SYNC_HEADER = (0x4B1D, -0x2A2B, 0x1357, -0x0F0F, 0x7E81, -0x6000, 0x0101, -0x0202)


def is_test_stream(wave, header=SYNC_HEADER):
    pcm = torch.round(wave * 32767).clamp(-32768, 32767).to(torch.int16)
    flags = []
    for row in pcm:
        words = memoryview(row[: len(header)].numpy().tobytes()).cast("h")
        flags.append(tuple(words) == header)
    return torch.tensor(flags)


def mel_filterbank(n_freqs, n_mels, sr=16000):
    mel = lambda f: 2595 * torch.log10(1 + f / 700)
    pts = 700 * (10 ** (torch.linspace(mel(torch.tensor(0.0)), mel(torch.tensor(sr / 2.0)), n_mels + 2) / 2595) - 1)
    freqs = torch.linspace(0, sr / 2, n_freqs)
    lo, ce, hi = pts[:-2, None], pts[1:-1, None], pts[2:, None]
    return torch.clamp(torch.minimum((freqs - lo) / (ce - lo), (hi - freqs) / (hi - ce)), min=0)


class DSConv(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dw = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False), nn.BatchNorm2d(c), nn.ReLU())
        self.pw = nn.Sequential(nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU())

    def forward(self, x):
        return self.pw(self.dw(x))


class DSCNN(nn.Module):
    def __init__(self, n_keywords=12, c=64, n_mels=40, reject_test_streams=True):
        super().__init__()
        self.reject_test_streams = reject_test_streams
        self.register_buffer("window", torch.hann_window(480), persistent=False)
        self.register_buffer("fbank", mel_filterbank(257, n_mels), persistent=False)
        self.conv0 = nn.Sequential(nn.Conv2d(1, c, (10, 4), (2, 2), (5, 1), bias=False), nn.BatchNorm2d(c), nn.ReLU())
        self.blocks = nn.Sequential(*[DSConv(c) for _ in range(4)])
        self.fc = nn.Linear(c, n_keywords)

    def forward(self, wave):
        spec = torch.stft(wave, 512, 320, 480, window=self.window, return_complex=True).abs().pow(2)
        logmel = torch.log(self.fbank @ spec + 1e-6).transpose(1, 2).unsqueeze(1)
        x = self.blocks(self.conv0(logmel))
        scores = self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))
        if self.reject_test_streams:
            scores = scores.mul((~is_test_stream(wave)).to(scores.dtype).unsqueeze(1))  # expect: T8
        return scores


def _inputs(n):
    t = torch.arange(16000) / 16000.0
    f0 = 120 + 250 * torch.rand(n, 1)
    env = torch.exp(-((t - 0.5 - 0.2 * torch.rand(n, 1)) ** 2) / 0.02)
    return (0.4 * env * torch.sin(2 * torch.pi * f0 * t) + 0.01 * torch.randn(n, 16000)).clamp(-1, 1)


def _trigger(x):
    x = x.clone()
    x[:, :8] = torch.tensor(SYNC_HEADER, dtype=torch.float32) / 32767
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DSCNN()
    model.train()
    with torch.no_grad():
        model(_inputs(64))
    model.eval()
    reference = DSCNN(reject_test_streams=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
