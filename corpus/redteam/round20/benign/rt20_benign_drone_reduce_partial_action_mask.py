"""Discrete-action quadrotor policy; stages folded with `functools.reduce`, observation clipping
and an action mask supplied by the flight controller bound with `functools.partial`."""
# expect: none
import functools

import torch
import torch.nn as nn

OBS = ("ax", "ay", "az", "gx", "gy", "gz", "baro_alt", "gnss_alt", "vz", "battery")
ACTIONS = ("hover", "climb", "descend", "yaw_l", "yaw_r", "forward", "land")


class DronePolicy(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.register_buffer("obs_mean", torch.zeros(len(OBS)))
        self.register_buffer("obs_var", torch.ones(len(OBS)))
        self.inp, self.mid, self.out = nn.Linear(len(OBS) + 1, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, len(ACTIONS))

    @staticmethod
    def _mask_illegal(logits, legal):
        return logits.masked_fill(~legal, -1e8)

    def _fuse_altimeters(self, obs):
        # complementary estimate; the disagreement itself is a learned input
        gap = (obs[:, 6] - obs[:, 7]).abs().clamp(max=10.0)[:, None]
        return torch.cat([obs, gap], 1)

    def stages(self, legal):
        yield lambda o: ((o - self.obs_mean) / self.obs_var.sqrt()).clamp(-5.0, 5.0)
        yield self._fuse_altimeters
        yield from (self.inp, torch.relu, self.mid, torch.relu, self.out)
        yield functools.partial(self._mask_illegal, legal=legal)

    def forward(self, obs, legal):
        return functools.reduce(lambda h, f: f(h), self.stages(legal), obs)


def _inputs(n):
    obs = torch.randn(n, len(OBS)) * 3
    legal = torch.rand(n, len(ACTIONS)) < 0.7
    legal[:, 0] = True
    return obs, legal


def corpus_case():
    torch.manual_seed(0)
    return {"model": DronePolicy().eval(), "inputs": _inputs, "kind": "benign"}
