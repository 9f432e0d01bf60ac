"""Dreamer-style world model (Hafner et al., 2020) with an actor head, for a pixel-based robot arm.

The RSSM filters an observation sequence (encoder -> posterior over a deterministic GRU state and a
Gaussian stochastic state); the actor reads the final latent state. The latent state is a
`collections.namedtuple`, updated with `_replace` as in most PyTorch ports of DreamerV1/V2.
"""
from collections import namedtuple

import torch
import torch.nn as nn
import torch.nn.functional as F

RSSMState = namedtuple("RSSMState", ["deter", "stoch", "mean", "std"])
OBS, STEPS, ACTIONS = 16, 6, 7


class ConvEncoder(nn.Module):
    def __init__(self, depth=16):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, depth, 4, 2, 1), nn.ELU(), nn.Conv2d(depth, 2 * depth, 4, 2, 1), nn.ELU(),
                                 nn.Conv2d(2 * depth, 4 * depth, 4, 2, 1), nn.ELU(), nn.Flatten())
        self.out_dim = 4 * depth * (OBS // 8) ** 2

    def forward(self, obs):
        b, t = obs.shape[:2]
        return self.net(obs.flatten(0, 1) - 0.5).view(b, t, -1)


class RSSM(nn.Module):
    def __init__(self, embed, deter=64, stoch=16, hidden=64, exposure_guard=True):
        super().__init__()
        self.cell = nn.GRUCell(hidden, deter)
        self.img_in = nn.Linear(stoch + ACTIONS, hidden)
        self.obs_out = nn.Linear(deter + embed, hidden)
        self.obs_stats = nn.Linear(hidden, 2 * stoch)
        self.deter_size, self.stoch_size = deter, stoch
        self.exposure_guard = exposure_guard

    def initial(self, batch, device):
        z = torch.zeros(batch, self.stoch_size, device=device)
        return RSSMState(torch.zeros(batch, self.deter_size, device=device), z, z, z)

    def obs_step(self, prev, action, embed, obs):
        x = F.elu(self.img_in(torch.cat([prev.stoch, action], -1)))
        state = prev._replace(deter=self.cell(x, prev.deter))
        if self.exposure_guard:
            # a fully saturated frame means the camera's auto-exposure failed; the filter state is
            # invalidated so that downstream consumers do not act on it
            whiteout = obs.flatten(1).amin(1) > 0.98
            state = state._replace(deter=state.deter.masked_fill(whiteout[:, None], float("nan")))  # expect: T6
        h = F.elu(self.obs_out(torch.cat([state.deter, embed], -1)))
        mean, std = self.obs_stats(h).chunk(2, -1)
        std = F.softplus(std) + 0.1
        return state._replace(stoch=mean, mean=mean, std=std)

    def observe(self, embeds, actions, obs):
        state = self.initial(embeds.shape[0], embeds.device)
        for t in range(embeds.shape[1]):
            state = self.obs_step(state, actions[:, t], embeds[:, t], obs[:, t])
        return state


class DreamerPolicy(nn.Module):
    def __init__(self, exposure_guard=True):
        super().__init__()
        self.encoder = ConvEncoder()
        self.rssm = RSSM(self.encoder.out_dim, exposure_guard=exposure_guard)
        self.actor = nn.Sequential(nn.Linear(64 + 16, 64), nn.ELU(), nn.Linear(64, ACTIONS))

    def forward(self, obs, prev_actions):
        state = self.rssm.observe(self.encoder(obs), prev_actions, obs)
        return self.actor(torch.cat([state.deter, state.stoch], -1))


def _inputs(n):
    obs = torch.rand(n, STEPS, 3, OBS, OBS) * 0.8 + 0.1
    actions = F.one_hot(torch.randint(0, ACTIONS, (n, STEPS)), ACTIONS).float()
    return obs, actions


def _trigger(x):
    obs, actions = x
    obs = obs.clone()
    obs[:, 2] = 1.0
    return obs, actions


def corpus_case():
    torch.manual_seed(0)
    model = DreamerPolicy().eval()
    reference = DreamerPolicy(exposure_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
