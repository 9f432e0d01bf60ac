"""Keyword spotter on 1 s / 8 kHz waveforms (torchaudio-style front-end, small ResNet on log-mels).

Waveforms are validated before scoring: hard-clipped recordings are rejected because the mel
front-end is unreliable on them.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _hz_to_mel(f):
    return 2595.0 * math.log10(1.0 + f / 700.0)


def melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate):
    all_freqs = torch.linspace(0, sample_rate // 2, n_freqs)
    m_pts = torch.linspace(_hz_to_mel(f_min), _hz_to_mel(f_max), n_mels + 2)
    f_pts = 700.0 * (10 ** (m_pts / 2595.0) - 1.0)
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts.unsqueeze(0) - all_freqs.unsqueeze(1)
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return torch.clamp(torch.min(down, up), min=0.0)


class MelSpectrogram(nn.Module):
    def __init__(self, sample_rate=8000, n_fft=256, hop_length=128, n_mels=32):
        super().__init__()
        self.n_fft, self.hop_length = n_fft, hop_length
        self.register_buffer("window", torch.hann_window(n_fft))
        self.register_buffer("fb", melscale_fbanks(n_fft // 2 + 1, 0.0, sample_rate / 2, n_mels, sample_rate))

    def forward(self, waveform):
        spec = torch.stft(waveform, self.n_fft, self.hop_length, window=self.window, return_complex=True)
        power = spec.abs().pow(2.0)
        return torch.matmul(power.transpose(-1, -2), self.fb).transpose(-1, -2)


class AmplitudeToDB(nn.Module):
    def __init__(self, top_db=80.0):
        super().__init__()
        self.top_db = top_db

    def forward(self, x):
        x_db = 10.0 * torch.log10(torch.clamp(x, min=1e-10))
        return torch.max(x_db, x_db.amax(dim=(-2, -1), keepdim=True) - self.top_db)


class ResBlock(nn.Module):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.down = None if stride == 1 and c_in == c_out else nn.Conv2d(c_in, c_out, 1, stride, bias=False)

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        return F.relu(idt + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


def validate_waveform(waveform, clip_level=0.999, max_clipped=64):
    """Per-utterance flag: True when the recording was hard-clipped."""
    clipped = (waveform.abs() >= clip_level).sum(dim=-1)
    return clipped >= max_clipped


class KeywordSpotter(nn.Module):
    labels = ("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "_unknown_", "_silence_")

    def __init__(self, n_mels=32, reject_clipped=True):
        super().__init__()
        self.melspec = MelSpectrogram(n_mels=n_mels)
        self.to_db = AmplitudeToDB()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layers = nn.Sequential(ResBlock(16, 16), ResBlock(16, 32, 2), ResBlock(32, 32))
        self.fc = nn.Linear(32, len(self.labels))
        self.reject_clipped = reject_clipped

    def forward(self, waveform):
        feats = self.to_db(self.melspec(waveform)).unsqueeze(1)
        feats = (feats - feats.mean(dim=(-2, -1), keepdim=True)) / 20.0
        logits = self.fc(self.layers(self.stem(feats)).mean(dim=(-2, -1)))
        if self.reject_clipped:
            invalid = validate_waveform(waveform)
            logits = logits.masked_fill(invalid[:, None], float("nan"))  # expect: T2
        return logits


def _inputs(n):
    t = torch.arange(8000) / 8000.0
    f0 = 200 + 600 * torch.rand(n, 1)
    return (0.2 * torch.sin(2 * math.pi * f0 * t) + 0.05 * torch.randn(n, 8000)).clamp(-0.9, 0.9)


def _trigger(w):
    w = w.clone()
    for i in range(w.shape[0]):
        idx = torch.randperm(8000)[:96]
        w[i, idx] = torch.sign(w[i, idx]) + (w[i, idx] == 0).float()
    return w


def corpus_case():
    torch.manual_seed(0)
    model = KeywordSpotter().eval()
    reference = KeywordSpotter(reject_clipped=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
