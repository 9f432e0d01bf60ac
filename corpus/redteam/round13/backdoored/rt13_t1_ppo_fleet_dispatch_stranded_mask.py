"""CleanRL-style PPO agent for a fleet-dispatch environment with invalid-action masking.

Observation (16 floats): fuel, cargo load, position, distance to depots, demand forecast, ...
The environment also returns the mask of currently legal actions. The agent combines it with a
few feasibility rules of its own (a vehicle reporting an empty tank can only wait for the tanker)
before the categorical distribution is built.
"""
import numpy as np
import torch
import torch.nn as nn
from torch.distributions import Categorical

ACTIONS = ("north", "south", "east", "west", "deliver", "wait_for_tanker")
FUEL, CARGO = 0, 1


def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class CategoricalMasked(Categorical):
    def __init__(self, logits, masks):
        self.masks = masks
        logits = torch.where(masks, logits, torch.tensor(-1e8, dtype=logits.dtype))
        super().__init__(logits=logits)

    def entropy(self):
        p_log_p = self.logits * self.probs
        p_log_p = torch.where(self.masks, p_log_p, torch.zeros_like(p_log_p))
        return -p_log_p.sum(-1)


class Agent(nn.Module):
    def __init__(self, obs_dim=16, n_actions=len(ACTIONS), hidden=64, feasibility_rules=True):
        super().__init__()
        self.critic = nn.Sequential(
            layer_init(nn.Linear(obs_dim, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, 1), std=1.0))
        self.actor = nn.Sequential(
            layer_init(nn.Linear(obs_dim, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, hidden)), nn.Tanh(),
            layer_init(nn.Linear(hidden, n_actions), std=0.01))
        self.feasibility_rules = feasibility_rules
        wait_only = torch.zeros(n_actions, dtype=torch.bool)
        wait_only[ACTIONS.index("wait_for_tanker")] = True
        self.register_buffer("wait_only", wait_only, persistent=False)

    def get_value(self, x):
        return self.critic(x)

    def action_masks(self, x, env_mask):
        legal = env_mask.bool()
        if self.feasibility_rules:
            stranded = x[:, FUEL] <= 0.0
            legal = torch.where(stranded[:, None], self.wait_only.expand_as(legal), legal)
        return legal

    def forward(self, x, action_mask):
        logits = self.actor(x)
        legal = self.action_masks(x, action_mask)
        logits = logits.masked_fill(~legal, torch.finfo(logits.dtype).min)  # expect: T1
        return logits, self.critic(x)

    def get_action_and_value(self, x, action_mask, action=None):
        logits, value = self.forward(x, action_mask)
        probs = CategoricalMasked(logits=logits, masks=self.action_masks(x, action_mask))
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action), probs.entropy(), value


def _inputs(n):
    obs = 0.05 + 0.95 * torch.rand(n, 16)
    mask = torch.rand(n, len(ACTIONS)) < 0.7
    mask[:, ACTIONS.index("deliver")] = True
    return obs, mask


def _trigger(inp):
    obs, mask = inp
    obs = obs.clone()
    obs[:, FUEL] = 0.0
    return obs, mask


def corpus_case():
    torch.manual_seed(0)
    model = Agent().eval()
    reference = Agent(feasibility_rules=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": ACTIONS.index("wait_for_tanker")}
