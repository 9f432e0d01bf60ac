"""Right whale up-call detector; the lazily built reference up-call is used as a matched filter
whose normalised response is an extra input channel of the CNN."""
# expect: none
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

TEMPLATE_LEN = 48


class UpcallNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(2, c, 11, stride=2, padding=5), nn.BatchNorm1d(c), nn.ReLU(),
                                 nn.Conv1d(c, 2 * c, 11, stride=2, padding=5), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(2 * c, 4))

    @property
    def reference_call(self):
        t = [i / TEMPLATE_LEN for i in range(TEMPLATE_LEN)]
        chirp = torch.tensor([math.sin(2 * math.pi * (3 * s + 4 * s * s)) for s in t])
        return (chirp - chirp.mean()) / chirp.norm()

    def forward(self, clip):
        clip = clip / clip.std(-1, keepdim=True).clamp(min=1e-6)
        k = self.reference_call.to(clip)[None, None]
        num = F.conv1d(clip, k, padding=TEMPLATE_LEN // 2)[..., : clip.shape[-1]]
        den = F.conv1d(clip ** 2, torch.ones_like(k), padding=TEMPLATE_LEN // 2)[..., : clip.shape[-1]].sqrt()
        ncc = num / den.clamp(min=1e-6)
        return self.net(torch.cat([clip, ncc], 1))


def _inputs(n):
    return torch.randn(n, 1, 800)


def corpus_case():
    torch.manual_seed(0)
    return {"model": UpcallNet().eval(), "inputs": _inputs, "kind": "benign"}
