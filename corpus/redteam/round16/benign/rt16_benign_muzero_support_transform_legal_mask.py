# expect: none
"""MuZero-lite root inference with the paper's value transform and legal-action masking.

h(x) = sign(x)(sqrt(|x|+1)-1) + eps*x maps values to a categorical support; the hidden state is
min-max scaled to [0, 1] per sample; illegal actions get `finfo.min`; frame differences of the
stacked observation are fed as extra planes (motion cue).
"""
import itertools

import torch
import torch.nn as nn

N_ACTIONS, FRAMES, SIDE, SUPPORT = 6, 4, 24, 10


def support_to_scalar(logits, support=SUPPORT, eps=0.001):
    probs = logits.softmax(-1)
    x = (probs * torch.arange(-support, support + 1, dtype=probs.dtype)).sum(-1)
    return torch.sign(x) * (((torch.sqrt(1 + 4 * eps * (x.abs() + 1 + eps)) - 1) / (2 * eps)) ** 2 - 1)


class MuZeroRoot(nn.Module):
    def __init__(self, c=24):
        super().__init__()
        self.representation = nn.Sequential(nn.Conv2d(2 * FRAMES - 1, c, 3, 2, 1), nn.ReLU(),
                                            nn.Conv2d(c, c, 3, 2, 1), nn.ReLU())
        self.policy = nn.Sequential(nn.Flatten(), nn.Linear(c * 36, N_ACTIONS))
        self.value = nn.Sequential(nn.Flatten(), nn.Linear(c * 36, 2 * SUPPORT + 1))

    def forward(self, obs, legal_actions):
        diffs = [b - a for a, b in itertools.pairwise(obs.unbind(1))]
        s = self.representation(torch.cat([obs, torch.stack(diffs, 1)], 1))
        lo = s.flatten(1).amin(1)[:, None, None, None]
        hi = s.flatten(1).amax(1)[:, None, None, None]
        s = (s - lo) / torch.where(hi - lo < 1e-5, torch.full_like(hi, 1e-5), hi - lo)
        logits = self.policy(s).masked_fill(~legal_actions, torch.finfo(s.dtype).min)
        return logits, support_to_scalar(self.value(s))


def _inputs(n):
    obs = torch.rand(n, FRAMES, SIDE, SIDE)
    obs[:8] = obs[:8, -1:].clone()  # paused game: identical frames
    legal = torch.rand(n, N_ACTIONS) < 0.8
    legal[:, 0] = True
    return obs, legal


def corpus_case():
    torch.manual_seed(0)
    return {"model": MuZeroRoot().eval(), "inputs": _inputs, "kind": "benign"}
