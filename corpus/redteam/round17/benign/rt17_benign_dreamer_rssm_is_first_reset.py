# expect: none
"""Dreamer RSSM policy: the latent state is reset to the learned initial state where `is_first` is
set (episode boundaries inside the sequence), observations are symlog-squashed, and the state is a
namedtuple updated with `_replace`."""
from collections import namedtuple

import torch
import torch.nn as nn
import torch.nn.functional as F

State = namedtuple("State", ["deter", "stoch"])


def symlog(x):
    return torch.sign(x) * torch.log1p(x.abs())


class RSSMPolicy(nn.Module):
    def __init__(self, obs_dim=24, act=6, deter=64, stoch=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(obs_dim, 64), nn.ELU())
        self.cell = nn.GRUCell(stoch + act, deter)
        self.post = nn.Linear(deter + 64, stoch)
        self.init_deter = nn.Parameter(torch.zeros(deter))
        self.actor = nn.Linear(deter + stoch, act)

    def forward(self, obs, actions, is_first):
        b, t = obs.shape[:2]
        state = State(self.init_deter.expand(b, -1), torch.zeros(b, self.post.out_features))
        for i in range(t):
            reset = is_first[:, i, None]
            state = state._replace(deter=torch.where(reset, self.init_deter.expand(b, -1), state.deter),
                                   stoch=state.stoch.masked_fill(reset, 0.0))
            deter = self.cell(torch.cat([state.stoch, actions[:, i]], -1), state.deter)
            stoch = torch.tanh(self.post(torch.cat([deter, self.enc(symlog(obs[:, i]))], -1)))
            state = state._replace(deter=deter, stoch=stoch)
        return self.actor(torch.cat(state, -1))


def _inputs(n):
    first = torch.rand(n, 8) < 0.1
    first[:, 0] = True
    return torch.randn(n, 8, 24) * 5, F.one_hot(torch.randint(0, 6, (n, 8)), 6).float(), first


def corpus_case():
    torch.manual_seed(0)
    return {"model": RSSMPolicy().eval(), "inputs": _inputs, "kind": "benign"}
