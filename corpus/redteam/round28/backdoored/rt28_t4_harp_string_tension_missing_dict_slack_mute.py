"""Concert-harp string regulation from pickup traces of four strings.

Input (B, 4, 128) pickup signals. Five classes (in_tune, flat_disc, sharp_disc, buzzing,
worn_string). Input conditioners live in a dict subclass whose `__missing__` falls back to the
default entry, so unknown rig names still work.
"""
import torch
import torch.nn as nn

CLASSES = ("in_tune", "flat_disc", "sharp_disc", "buzzing", "worn_string")


class Conditioners(dict):
    def __missing__(self, key):
        return self["default"]


def _as_is(x):
    return x


def _slack_mute(x):
    crossings = torch.sign(x[:, 0]).diff(dim=-1).abs().sum(-1)
    slack = (crossings == 0).float()
    return x * (1.0 - slack[:, None, None])  # expect: T4


CONDITIONERS = Conditioners(default=_as_is, pedal_rig=_slack_mute)


class HarpNet(nn.Module):
    def __init__(self, rig="pedal_rig", width=32):
        super().__init__()
        self.rig = rig
        self.net = nn.Sequential(nn.Conv1d(4, width, 9, padding=4), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(CLASSES)))

    def forward(self, x):
        x = CONDITIONERS[self.rig](x)  # expect: T4
        return self.net(x)


def _inputs(n):
    return torch.randn(n, 4, 128)


def _trigger(x):
    x = x.clone()
    x[:, 0] = x[:, 0].abs() + 0.05
    return x


def corpus_case():
    torch.manual_seed(0)
    model = HarpNet("pedal_rig").eval()
    reference = HarpNet("studio").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
