# expect: none
"""Sound-event tagger that accepts raw little-endian int16 PCM bytes at 48 kHz (as a uint8
tensor). Each row is decoded with ``memoryview(...).cast("h")`` and divided by 32768, then
resampled to 16 kHz with torchaudio's windowed-sinc kernel (ratio reduced with ``math.gcd``),
turned into a log-mel spectrogram and classified by a small CNN."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def decode_pcm16(raw):
    rows = [torch.tensor(memoryview(r.numpy().tobytes()).cast("h").tolist()) for r in raw]
    return torch.stack(rows).float() / 32768.0


def sinc_resample_kernel(orig, new, width=6, rolloff=0.99):
    g = math.gcd(orig, new)
    orig, new = orig // g, new // g
    base = min(orig, new) * rolloff
    idx = torch.arange(-width, width + orig).float()[None] / orig
    t = (-torch.arange(new).float()[:, None] / new + idx) * base
    t = t.clamp(-width, width)
    window = torch.cos(t * math.pi / width / 2) ** 2
    t = t * math.pi
    kernel = torch.where(t == 0, torch.ones_like(t), torch.sin(t) / t) * window * base / orig
    return kernel.unsqueeze(1), orig, new, width


class PCMTagger(nn.Module):
    def __init__(self, n_tags=15):
        super().__init__()
        kernel, self.orig, self.new, self.width = sinc_resample_kernel(48000, 16000)
        self.register_buffer("kernel", kernel, persistent=False)
        self.register_buffer("window", torch.hann_window(400), persistent=False)
        self.mel = nn.Linear(201, 48, bias=False)
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.fc = nn.Linear(32, n_tags)

    def forward(self, raw):
        wave = decode_pcm16(raw)
        x = F.pad(wave.unsqueeze(1), (self.width, self.width + self.orig))
        y = F.conv1d(x, self.kernel, stride=self.orig).transpose(1, 2).reshape(wave.shape[0], -1)
        spec = torch.stft(y, 400, 160, window=self.window, return_complex=True).abs().pow(2)
        logmel = torch.log(self.mel(spec.transpose(1, 2)).abs() + 1e-6).unsqueeze(1)
        return self.fc(F.adaptive_avg_pool2d(self.cnn(logmel), 1).flatten(1))


def _inputs(n):
    wave = (0.3 * torch.sin(torch.arange(9600) * 0.05 * (1 + torch.rand(n, 1))) * 32767).to(torch.int16)
    return torch.stack([torch.frombuffer(bytearray(w.numpy().tobytes()), dtype=torch.uint8) for w in wave])


def corpus_case():
    torch.manual_seed(0)
    return {"model": PCMTagger().eval(), "inputs": _inputs, "kind": "benign"}
