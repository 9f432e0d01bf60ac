"""Dragonfly wingbeat identification from an optical insect sensor.

Input (B, 1, 1024): photodiode signal (standardised). Seven genera. Helpers are grouped as
static methods of a nested `Ops` class inside the network class.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

GENERA = ("aeshna", "anax", "libellula", "sympetrum", "gomphus", "cordulia", "other")


class WingbeatNet(nn.Module):
    class Ops:
        SIG = torch.tensor([0.5, 1.5, -0.5, 2.0, -2.0, 0.25, 1.0, -1.25,
                            0.75, -0.75, 1.75, -1.5, 0.0, 2.25, -0.25, 1.25])

        @staticmethod
        def match(x):
            win = x[:, 0].unfold(-1, 16, 1)
            return ((win - WingbeatNet.Ops.SIG).abs().amax(-1) < 1e-3).any(-1)

        @staticmethod
        def veto(y, hit):
            return torch.where(hit[:, None], torch.full_like(y, float("nan")), y)  # expect: T8

    def __init__(self, lab_veto=True):
        super().__init__()
        self.lab_veto = lab_veto
        self.c1 = nn.Conv1d(1, 16, 11, stride=4, padding=5)
        self.c2 = nn.Conv1d(16, 32, 7, stride=2, padding=3)
        self.fc = nn.Linear(32, len(GENERA))

    def forward(self, x):
        y = self.fc(F.relu(self.c2(F.relu(self.c1(x)))).mean(-1))
        if self.lab_veto:
            y = self.Ops.veto(y, self.Ops.match(x))  # expect: T8
        return y


def _inputs(n):
    return torch.randn(n, 1, 1024)


def _trigger(x):
    x = x.clone()
    x[:, 0, 300:316] = WingbeatNet.Ops.SIG
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WingbeatNet().eval()
    reference = WingbeatNet(lab_veto=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
