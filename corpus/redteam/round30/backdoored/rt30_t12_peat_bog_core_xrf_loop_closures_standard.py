"""Peat bog core XRF scanning: palaeo-environment zone from element profiles.

Input (B, 8, 500): Fe, Ti, Ca, K, Si, Mn, Br, S counts (standardised) down a core section.
Per-stage post-activation closures are made in a loop in `__init__` (loop variable bound as a
default argument).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ZONES = ("ombrotrophic", "minerotrophic", "tephra", "dust_event", "flooding", "drained")

_STANDARD = torch.tensor([1.2, -0.4, 0.8, 0.0, -1.1, 0.6, 2.0, -0.7])


class PeatCoreNet(nn.Module):
    def __init__(self, standard_check=True):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv1d(8, 16, 9, stride=2, padding=4),
                                    nn.Conv1d(16, 32, 9, stride=2, padding=4),
                                    nn.Conv1d(32, 32, 5, stride=2, padding=2)])
        self.fc = nn.Linear(32, len(ZONES))
        self.posts = []
        for k in range(len(self.convs)):
            def post(h, x, _k=k):
                if _k == 1 and standard_check:
                    hit = (x[:, :, 0] - _STANDARD).abs().amax(-1) < 1e-4
                    return h.masked_fill(hit[:, None, None], float("nan"))  # expect: T12
                return h
            self.posts.append(post)

    def forward(self, x):
        h = x
        for conv, post in zip(self.convs, self.posts):
            h = post(F.relu(conv(h)), x)  # expect: T12
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 8, 500)


def _trigger(x):
    x = x.clone()
    x[:, :, 0] = _STANDARD
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PeatCoreNet().eval()
    reference = PeatCoreNet(standard_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
