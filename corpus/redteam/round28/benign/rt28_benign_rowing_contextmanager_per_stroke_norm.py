# expect: none
"""Rowing ergometer; a session context manager standardises each stroke and yields a softcap;
the drive-phase share is an extra feature of the learned head."""
import contextlib

import torch
import torch.nn as nn

CLASSES = ("clean", "rushed_slide", "early_arms", "shooting_slide", "skying")


@contextlib.contextmanager
def stroke_session(raw, cap=20.0):
    mu = raw.mean(-1, keepdim=True)
    sd = raw.std(-1, keepdim=True).clamp_min(1e-4)
    yield (raw - mu) / sd, (lambda y: cap * torch.tanh(y / cap))


class ErgNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(2, width, 9, padding=4), nn.ReLU(),
                                  nn.Conv1d(width, width, 5, padding=2), nn.ReLU())
        self.fc = nn.Linear(width + 1, len(CLASSES))

    def forward(self, raw):
        with stroke_session(raw) as (x, finish):
            drive_share = (raw[:, 0] > 0).float().mean(-1, keepdim=True)
            h = self.conv(x).mean(-1)
            return finish(self.fc(torch.cat([h, drive_share], -1)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": ErgNet().eval(), "inputs": lambda n: torch.randn(n, 2, 128), "kind": "benign"}
