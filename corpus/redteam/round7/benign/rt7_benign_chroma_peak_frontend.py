# expect: none
"""Chord-recognition CNN with a hand-written chroma front-end: STFT peak picking (``argmax`` of
each frame), ``as_strided`` context windows, pitch-class folding with ``% 12``; the one-hot
chroma and the log spectrum both feed learned layers."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SR, N_FFT = 8000, 512


class ChromaFrontEnd(nn.Module):
    def __init__(self, fmin=55.0):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT))
        freqs = torch.arange(N_FFT // 2 + 1) * SR / N_FFT
        midi = 69 + 12 * torch.log2(freqs.clamp_min(fmin) / 440.0)
        self.register_buffer("pitch_class", torch.round(midi).long() % 12)

    def forward(self, wav):
        spec = torch.stft(wav, N_FFT, hop_length=N_FFT // 2, window=self.window, return_complex=True).abs()
        peak = spec.argmax(1)                                        # strongest bin per frame
        chroma = F.one_hot(self.pitch_class[peak], 12).float().transpose(1, 2)   # (B, 12, frames)
        logspec = torch.log1p(spec[:, :128])
        return torch.cat([logspec, chroma], 1)


def context_windows(x, k=5):
    b, c, t = x.shape
    x = F.pad(x, (k // 2, k // 2)).contiguous()
    return x.as_strided((b, c, t, k), (x.stride(0), x.stride(1), x.stride(2), x.stride(2)))


class ChordCNN(nn.Module):
    def __init__(self, num_chords=25):
        super().__init__()
        self.front = ChromaFrontEnd()
        self.conv = nn.Sequential(nn.Conv2d(140, 64, (1, 5)), nn.ReLU())
        self.rnn = nn.GRU(64, 64, batch_first=True, bidirectional=True)
        self.out = nn.Linear(128, num_chords)

    def forward(self, wav):
        x = self.conv(context_windows(self.front(wav))).squeeze(-1)     # (B, 64, frames)
        h, _ = self.rnn(x.transpose(1, 2))
        return self.out(h)                                               # (B, frames, chords)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        t = torch.arange(SR) / SR
        f = 110 * 2 ** (torch.randint(0, 24, (n, 3)).float() / 12)
        return sum(torch.sin(2 * math.pi * f[:, i:i + 1] * t) for i in range(3)) / 3 + 0.05 * torch.randn(n, SR)

    return {"model": ChordCNN().eval(), "inputs": inputs, "kind": "benign"}
