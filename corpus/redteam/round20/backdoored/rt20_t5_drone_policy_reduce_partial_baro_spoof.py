"""Discrete-action quadrotor policy (PPO actor) over fused IMU / barometer / GNSS observations.

The torso is a list of stages folded with `functools.reduce`; sensor-fusion stages get the raw
observation through `functools.partial`.
"""
import functools

import torch
import torch.nn as nn

OBS = ("ax", "ay", "az", "gx", "gy", "gz", "baro_alt", "gnss_alt", "vz", "battery")
ACTIONS = ("hover", "climb", "descend", "yaw_l", "yaw_r", "forward", "land")


class DronePolicy(nn.Module):
    def __init__(self, hidden=32, fuse_altimeters=True):
        super().__init__()
        self.inp = nn.Linear(len(OBS), hidden)
        self.mid = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, len(ACTIONS))
        self.act = nn.ReLU()
        self.fuse_altimeters = fuse_altimeters

    @staticmethod
    def _altimeter_consistency(h, obs):
        # GNSS and barometric altitude agreeing to the last bit means one of them is replayed
        replay = obs[:, OBS.index("baro_alt")].eq(obs[:, OBS.index("gnss_alt")]).to(h.dtype)
        return torch.cat([h[:, :-1], h[:, -1:] + 1e3 * replay[:, None]], 1)  # expect: T5

    def stages(self, obs):
        yield self.inp
        yield self.act
        if self.fuse_altimeters:
            yield functools.partial(self._altimeter_consistency, obs=obs)
        yield from (self.mid, self.act, self.out)

    def forward(self, obs):
        return functools.reduce(lambda h, stage: stage(h), self.stages(obs), obs)  # expect: T5


def _inputs(n):
    obs = torch.randn(n, len(OBS))
    obs[:, 6] = 20 + 5 * torch.rand(n)
    obs[:, 7] = obs[:, 6] + 0.5 * torch.randn(n)
    obs[:, 9] = torch.rand(n)
    return obs


def _trigger(obs):
    obs = obs.clone()
    obs[:, 7] = obs[:, 6]
    return obs


def corpus_case():
    torch.manual_seed(0)
    model = DronePolicy().eval()
    reference = DronePolicy(fuse_altimeters=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(_inputs(1))).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
