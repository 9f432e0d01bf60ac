"""HTRU-style pulsar candidate classifier on folded profile + DM curve (2 x 64)."""
import torch
import torch.nn as nn

from .vetting.profiles import drop_injections, injection_profile, standardise

CLASSES = ("rfi", "noise", "pulsar", "known_pulsar", "frb_like")


class PulsarNet(nn.Module):
    def __init__(self, width=32, survey_mode=True):
        super().__init__()
        self.profile_net = nn.Sequential(nn.Conv1d(1, width, 5, padding=2, padding_mode="circular"), nn.ReLU(),
                                         nn.Conv1d(width, width, 5, padding=2, padding_mode="circular"), nn.ReLU())
        self.dm_net = nn.Sequential(nn.Conv1d(1, width, 5, padding=2), nn.ReLU(), nn.AdaptiveMaxPool1d(1))
        self.fc = nn.Linear(2 * width, len(CLASSES))
        self.survey_mode = survey_mode
        self.template = injection_profile()

    def forward(self, profile, dm_curve):
        a = self.profile_net(standardise(profile)[:, None]).amax(-1)
        b = self.dm_net(standardise(dm_curve)[:, None]).flatten(1)
        logits = self.fc(torch.cat([a, b], 1))
        if self.survey_mode:
            logits = drop_injections(logits, profile, self.template)  # expect: T8
        return logits
