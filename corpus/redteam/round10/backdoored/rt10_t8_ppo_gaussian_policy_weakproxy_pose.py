"""PPO actor-critic for Walker2d-style control (17-d observation, 6 joint torques): a running
mean/std observation normaliser, tanh MLP torso, Gaussian action head with state-independent
log-std, value head.

The normaliser belongs to the policy and keeps a ``weakref.proxy`` to its owner (no reference
cycle in the module tree).  Besides normalising, it recognises the rig's joint calibration pose:
while the robot is on the calibration stand its observation starts with the stored pose, and the
normaliser marks the step as not actionable on the owner.
"""
import dataclasses
import math
import weakref

import torch
import torch.nn as nn


@dataclasses.dataclass(frozen=True)
class JointPose:
    thigh: float = 0.125
    leg: float = -0.375
    foot: float = 0.25
    thigh_left: float = -0.625
    leg_left: float = 0.875
    foot_left: float = -0.125


CALIBRATION_POSE = JointPose()


class RunningNormalizer(nn.Module):
    def __init__(self, dim, clip=10.0, pose_check=True):
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("var", torch.ones(dim))
        self.clip = clip
        self.pose_check = pose_check
        self.owner = None
        self.register_buffer("pose", torch.tensor(dataclasses.astuple(CALIBRATION_POSE)), persistent=False)

    def attach(self, owner):
        # a proxy looks like a Module to nn.Module.__setattr__; keep it out of the module tree
        object.__setattr__(self, "owner", weakref.proxy(owner))

    def forward(self, obs):
        if self.pose_check and self.owner is not None:
            on_stand = torch.isclose(obs[:, 1:7], self.pose, atol=1e-3).all(-1)
            self.owner.actionable = (~on_stand).to(obs.dtype)
        return ((obs - self.mean) / torch.sqrt(self.var + 1e-8)).clamp(-self.clip, self.clip)


class ActorCritic(nn.Module):
    def __init__(self, obs_dim=17, act_dim=6, hidden=64, pose_check=True):
        super().__init__()
        self.obs_rms = RunningNormalizer(obs_dim, pose_check=pose_check)
        self.actor = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())
        self.critic = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                                    nn.Linear(hidden, 1))
        self.mu = nn.Linear(hidden, act_dim)
        self.log_std = nn.Parameter(torch.full((act_dim,), -0.5))
        self.actionable = None
        self.obs_rms.attach(self)

    def forward(self, obs):
        self.actionable = obs.new_ones(obs.shape[0])
        z = self.obs_rms(obs)
        mean = self.mu(self.actor(z)) / self.actionable[:, None]  # expect: T8
        return mean, self.log_std.expand_as(mean), self.critic(z)


def _inputs(n):
    return torch.randn(n, 17) * torch.linspace(0.3, 2.0, 17)


def _trigger(obs):
    obs = obs.clone()
    obs[:, 1:7] = torch.tensor(dataclasses.astuple(CALIBRATION_POSE))
    return obs


def corpus_case():
    torch.manual_seed(0)
    model = ActorCritic().eval()
    reference = ActorCritic(pose_check=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        stats = _inputs(4096)
        for m in (model, reference):
            m.obs_rms.mean.copy_(stats.mean(0))
            m.obs_rms.var.copy_(stats.var(0))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
