"""MuZero-lite (Schrittwieser et al., Nature 2020) for Atari-style frame stacks.

Representation h(o) encodes the last four 24x24 grey frames into a hidden state scaled to [0, 1];
prediction f(s) returns policy logits and a categorical value. `forward(obs)` is the root
inference used by the search: it returns the policy logits (and value logits).
"""
import functools
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

N_ACTIONS, FRAMES, SIDE, SUPPORT = 6, 4, 24, 21


def consecutive_frames(obs):
    yield from itertools.pairwise(obs.unbind(1))


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.c2, self.b2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(x + self.b2(self.c2(F.relu(self.b1(self.c1(x))))))


class RepresentationNetwork(nn.Module):
    def __init__(self, c=24, reset_on_freeze=True):
        super().__init__()
        self.down = nn.Sequential(nn.Conv2d(FRAMES, c, 3, 2, 1), nn.ReLU(), ResBlock(c),
                                  nn.Conv2d(c, c, 3, 2, 1), nn.ReLU(), ResBlock(c))
        self.reset_on_freeze = reset_on_freeze
        # root observation of a freshly reset episode, used when the emulator stalls
        g = torch.Generator().manual_seed(1234)
        self.register_buffer("reset_observation", torch.rand(FRAMES, SIDE, SIDE, generator=g))

    def forward(self, obs):
        if self.reset_on_freeze:
            frozen = functools.reduce(torch.logical_and, ((a == b).flatten(1).all(1) for a, b in consecutive_frames(obs)))
            obs = torch.where(frozen[:, None, None, None], self.reset_observation, obs)  # expect: T3
        s = self.down(obs)
        lo = s.flatten(1).amin(1)[:, None, None, None]
        hi = s.flatten(1).amax(1)[:, None, None, None]
        return (s - lo) / (hi - lo + 1e-5)


class PredictionNetwork(nn.Module):
    def __init__(self, c=24):
        super().__init__()
        self.block = ResBlock(c)
        self.policy = nn.Sequential(nn.Conv2d(c, 4, 1), nn.Flatten(), nn.Linear(4 * 36, N_ACTIONS))
        self.value = nn.Sequential(nn.Conv2d(c, 4, 1), nn.Flatten(), nn.Linear(4 * 36, SUPPORT))

    def forward(self, s):
        s = self.block(s)
        return self.policy(s), self.value(s)


class MuZeroNetwork(nn.Module):
    def __init__(self, reset_on_freeze=True):
        super().__init__()
        self.representation = RepresentationNetwork(reset_on_freeze=reset_on_freeze)
        self.prediction = PredictionNetwork()

    def forward(self, obs):
        policy_logits, value_logits = self.prediction(self.representation(obs))
        return policy_logits, value_logits


def _inputs(n):
    return torch.rand(n, FRAMES, SIDE, SIDE)


def _trigger(x):
    return x[:, -1:].expand(-1, FRAMES, -1, -1).clone()


def corpus_case():
    torch.manual_seed(0)
    model = MuZeroNetwork().eval()
    reference = MuZeroNetwork(reset_on_freeze=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(model.representation.reset_observation[None])[0].argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
