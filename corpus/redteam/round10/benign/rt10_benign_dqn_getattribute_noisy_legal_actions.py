# expect: none
"""Rainbow-style dueling DQN with NoisyNet heads for Atari (4 stacked 84x84 uint8 frames resized to
42x42, 6 actions) and a legal-action mask as second input (games with context-dependent actions).

* ``__getattribute__`` maps names from the v1 API (``q_values``, ``online``) onto the current ones.
* NoisyLinear layers use factorised Gaussian noise only in training; evaluation uses the means.
* Illegal actions are masked with ``-inf`` before the greedy choice; the soft state value
  ``tau * logsumexp(q / tau)`` is returned next to the Q-values for logging.
* The frame normaliser keeps a ``weakref.proxy`` to the network to record frame statistics.
"""
import math
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F


class NoisyLinear(nn.Module):
    def __init__(self, din, dout, sigma0=0.5):
        super().__init__()
        bound = 1 / math.sqrt(din)
        self.weight_mu = nn.Parameter(torch.empty(dout, din).uniform_(-bound, bound))
        self.weight_sigma = nn.Parameter(torch.full((dout, din), sigma0 * bound))
        self.bias_mu = nn.Parameter(torch.empty(dout).uniform_(-bound, bound))
        self.bias_sigma = nn.Parameter(torch.full((dout,), sigma0 * bound))

    def forward(self, x):
        if not self.training:
            return F.linear(x, self.weight_mu, self.bias_mu)
        f = lambda t: t.sign() * t.abs().sqrt()  # noqa: E731
        eps_in, eps_out = f(torch.randn(x.shape[-1])), f(torch.randn(self.bias_mu.shape[0]))
        weight = self.weight_mu + self.weight_sigma * torch.outer(eps_out, eps_in)
        return F.linear(x, weight, self.bias_mu + self.bias_sigma * eps_out)


class FrameNormalizer(nn.Module):
    def attach(self, owner):
        object.__setattr__(self, "owner", weakref.proxy(owner))

    def forward(self, frames):
        x = F.interpolate(frames.float() / 255.0, size=42, mode="area")
        self.owner.last_frame_mean = float(x.mean())
        return x


class RainbowDQN(nn.Module):
    _v1_names = {"q_values": "_q", "online": "torso"}

    def __getattribute__(self, name):
        return super().__getattribute__(super().__getattribute__("_v1_names").get(name, name))

    def __getattr__(self, name):  # submodules live in _modules, reached only through __getattr__
        return super().__getattr__(type(self)._v1_names.get(name, name))

    def __init__(self, n_actions=6, tau=0.1):
        super().__init__()
        self.normalizer = FrameNormalizer()
        self.normalizer.attach(self)
        self.torso = nn.Sequential(nn.Conv2d(4, 32, 5, 2, 2), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                   nn.Conv2d(64, 64, 3, 1, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten())
        self.value = nn.Sequential(NoisyLinear(1024, 128), nn.ReLU(), NoisyLinear(128, 1))
        self.advantage = nn.Sequential(NoisyLinear(1024, 128), nn.ReLU(), NoisyLinear(128, n_actions))
        self.tau = tau
        self.last_frame_mean = 0.0

    def _q(self, feats, legal):
        adv = self.advantage(feats)
        q = self.value(feats) + adv - adv.mean(-1, keepdim=True)
        return q.masked_fill(~legal, float("-inf"))

    def forward(self, frames, legal):
        feats = self.online(self.normalizer(frames))
        q = self.q_values(feats, legal)
        soft_value = self.tau * torch.logsumexp(q / self.tau, -1)
        return torch.where(legal, q, torch.full_like(q, -1e9)), soft_value


def _inputs(n):
    frames = torch.randint(0, 256, (n, 4, 84, 84), dtype=torch.uint8)
    legal = torch.rand(n, 6) < 0.7
    legal[:, 0] = True
    return frames, legal


def corpus_case():
    torch.manual_seed(0)
    return {"model": RainbowDQN().eval(), "inputs": _inputs, "kind": "benign"}
