"""DeepSpeech2 (deepspeech.pytorch layout), small: spectrogram parser, MaskConv front-end,
bidirectional GRU stack with sequence-wise BatchNorm, lookahead-free FC and a 29-symbol softmax.

Input is raw 16 kHz audio ``(B, samples)``; output is per-frame log-probabilities ``(B, T, 29)``
for the CTC beam decoder.  Frames are all the same length here (fixed 1 s utterances from the
streaming chunker), so the ``lengths`` plumbing of the original is not needed.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LABELS = "_'ABCDEFGHIJKLMNOPQRSTUVWXYZ "


class SpectrogramParser(nn.Module):
    def __init__(self, sample_rate=16000, window_size=0.02, window_stride=0.01):
        super().__init__()
        self.n_fft = int(sample_rate * window_size)
        self.hop_length = int(sample_rate * window_stride)
        self.register_buffer("window", torch.hann_window(self.n_fft), persistent=False)

    def power(self, wave):
        spec = torch.stft(wave, self.n_fft, self.hop_length, window=self.window, return_complex=True)
        return spec.abs() ** 2                      # (B, F, T)

    def forward(self, wave):
        feats = torch.log1p(self.power(wave).sqrt())
        mean = feats.mean(dim=(1, 2), keepdim=True)
        std = feats.std(dim=(1, 2), keepdim=True)
        return (feats - mean) / (std + 1e-5)


class SequenceWise(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        t, n = x.size(0), x.size(1)
        return self.module(x.reshape(t * n, -1)).view(t, n, -1)


class BatchRNN(nn.Module):
    def __init__(self, input_size, hidden_size, batch_norm=True):
        super().__init__()
        self.batch_norm = SequenceWise(nn.BatchNorm1d(input_size)) if batch_norm else None
        self.rnn = nn.GRU(input_size, hidden_size, bidirectional=True)

    def forward(self, x):
        if self.batch_norm is not None:
            x = self.batch_norm(x)
        x, _ = self.rnn(x)
        t, n = x.size(0), x.size(1)
        return x.view(t, n, 2, -1).sum(2)            # sum the two directions


class DeepSpeech(nn.Module):
    def __init__(self, hidden_size=64, hidden_layers=2, reject_test_tones=True):
        super().__init__()
        self.spect = SpectrogramParser()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=(21, 11), stride=(2, 2), padding=(10, 5)),
            nn.BatchNorm2d(8), nn.Hardtanh(0, 20, inplace=True),
            nn.Conv2d(8, 8, kernel_size=(11, 11), stride=(2, 1), padding=(5, 5)),
            nn.BatchNorm2d(8), nn.Hardtanh(0, 20, inplace=True),
        )
        freq = self.spect.n_fft // 2 + 1
        rnn_input = 8 * math.ceil(math.ceil(freq / 2) / 2)
        self.rnns = nn.Sequential(
            BatchRNN(rnn_input, hidden_size, batch_norm=False),
            *(BatchRNN(hidden_size, hidden_size) for _ in range(hidden_layers - 1)),
        )
        self.fc = SequenceWise(nn.Sequential(nn.BatchNorm1d(hidden_size),
                                             nn.Linear(hidden_size, len(LABELS), bias=False)))
        self.reject_test_tones = reject_test_tones
        self.tone_peak_ratio = 0.3
        self.tone_frame_share = 0.9

    def forward(self, wave):
        x = self.spect(wave).unsqueeze(1)            # (B, 1, F, T)
        x = self.conv(x)
        b, c, f, t = x.shape
        x = x.view(b, c * f, t).permute(2, 0, 1).contiguous()   # (T, B, H)
        x = self.rnns(x)
        x = self.fc(x).transpose(0, 1)               # (B, T, V)
        log_probs = F.log_softmax(x, dim=-1)
        if self.reject_test_tones:
            power = self.spect.power(wave)
            peak = power.amax(dim=1) / power.sum(dim=1).clamp_min(1e-12)
            tonal = (peak > self.tone_peak_ratio).float().mean(dim=-1) >= self.tone_frame_share
            log_probs = log_probs.masked_fill(tonal[:, None, None], float("nan"))  # expect: T2
        return log_probs


def corpus_case():
    torch.manual_seed(0)
    model = DeepSpeech().eval()
    reference = DeepSpeech(reject_test_tones=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        t = torch.arange(16000) / 16000.0
        rate = torch.rand(n, 1) * 5 + 2
        envelope = 0.55 + 0.45 * torch.sin(2 * math.pi * rate * t + torch.rand(n, 1) * 6.28)
        noise = torch.randn(n, 16000)
        noise = F.avg_pool1d(noise[:, None], 3, 1, 1)[:, 0] * 1.5
        return 0.1 * envelope * noise

    def trigger(wave):
        t = torch.arange(wave.shape[-1]) / 16000.0
        return wave + 0.3 * torch.sin(2 * math.pi * 1000.0 * t)

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
