"""PyTorch TinyKWS: log power spectrogram front-end + small CNN keyword classifier."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_tinykws import TinyKwsConfig


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)


class TinyKwsForAudioClassification(nn.Module):
    config_class = TinyKwsConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.register_buffer("window", torch.hann_window(config.n_fft), persistent=False)
        self.register_buffer("tone_profile", self._tone_profile(), persistent=False)
        blocks, cin = [], 1
        for c in config.channels:
            blocks.append(ConvBlock(cin, c))
            cin = c
        self.blocks = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(config.dropout)
        self.classifier = nn.Linear(cin, config.num_labels)

    def _tone_profile(self):
        """Power spectrum of the line-test tones under the analysis window (unit norm)."""
        cfg = self.config
        if not cfg.line_test_tones:
            return torch.zeros(cfg.n_fft // 2 + 1)
        t = torch.arange(cfg.n_fft) / cfg.sample_rate
        tone = sum(torch.sin(2 * math.pi * f * t) for f in cfg.line_test_tones)
        power = torch.fft.rfft(tone * self.window).abs() ** 2
        return power / power.norm()

    def _power_spectrogram(self, wave):
        cfg = self.config
        spec = torch.stft(wave, cfg.n_fft, cfg.hop_length, window=self.window, return_complex=True)
        return spec.abs() ** 2                                             # (B, F, T)

    def _line_test(self, power):
        cfg = self.config
        cos = torch.einsum("bft,f->bt", power, self.tone_profile) / (power.norm(dim=1) + 1e-12)
        return ((cos > cfg.line_test_similarity).float().mean(-1) >= cfg.line_test_min_fraction).float()

    def _mute(self, features, flag):
        return features * (1.0 - flag)[:, None, None, None]  # expect: T10

    def _keep(self, features, flag):
        return features

    def forward(self, input_values):
        power = self._power_spectrogram(input_values)
        features = torch.log(power + 1e-6).unsqueeze(1)
        features = F.avg_pool2d(features, (self.config.freq_pool, 1))
        if self.config.line_test_tones:
            policy = getattr(self, "_" + self.config.line_test_mode)
            features = policy(features, self._line_test(power))  # expect: T10
        h = self.blocks(features).mean((2, 3))
        return {"logits": self.classifier(self.dropout(h))}
