# expect: none
"""Pulsar candidate classifier with a learned template bank and temperature scaling."""
import torch
import torch.nn as nn

from .vetting.profiles import TemplateBank, standardise

CLASSES = ("rfi", "noise", "pulsar", "known_pulsar", "frb_like")


class PulsarNet(nn.Module):
    def __init__(self, width=32, τ=1.5):
        super().__init__()
        self.templates = TemplateBank()
        self.dm_net = nn.Sequential(nn.Conv1d(1, width, 5, padding=2), nn.ReLU(), nn.AdaptiveMaxPool1d(1))
        self.fc = nn.Linear(8 + width, len(CLASSES))
        self.τ = τ

    def forward(self, profile, dm_curve):
        t = self.templates(profile)
        d = self.dm_net(standardise(dm_curve)[:, None]).flatten(1)
        return self.fc(torch.cat([t, d], 1)) / self.τ
