# expect: none
"""CleanRL / SB3-style PPO agent for a fleet-dispatch environment with invalid-action masking.

The environment returns the legal-action mask with every observation; illegal logits are set to
the dtype minimum before the categorical distribution is built. Observations are normalised
with running statistics and clipped to +-10, as in `VecNormalize`.
"""
import numpy as np
import torch
import torch.nn as nn
from torch.distributions import Categorical

ACTIONS = ("north", "south", "east", "west", "deliver", "wait_for_tanker")


def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class RunningMeanStd(nn.Module):
    def __init__(self, shape, epsilon=1e-4, clip=10.0):
        super().__init__()
        self.register_buffer("mean", torch.zeros(shape))
        self.register_buffer("var", torch.ones(shape))
        self.register_buffer("count", torch.tensor(epsilon))
        self.clip = clip

    @torch.no_grad()
    def update(self, x):
        batch_mean, batch_var, n = x.mean(0), x.var(0, unbiased=False), x.shape[0]
        delta = batch_mean - self.mean
        tot = self.count + n
        self.mean += delta * n / tot
        m2 = self.var * self.count + batch_var * n + delta ** 2 * self.count * n / tot
        self.var.copy_(m2 / tot)
        self.count.copy_(tot)

    def forward(self, x):
        return ((x - self.mean) / torch.sqrt(self.var + 1e-8)).clamp(-self.clip, self.clip)


class Agent(nn.Module):
    def __init__(self, obs_dim=16, n_actions=len(ACTIONS), hidden=64):
        super().__init__()
        self.obs_rms = RunningMeanStd(obs_dim)
        self.critic = nn.Sequential(layer_init(nn.Linear(obs_dim, hidden)), nn.Tanh(),
                                    layer_init(nn.Linear(hidden, hidden)), nn.Tanh(),
                                    layer_init(nn.Linear(hidden, 1), std=1.0))
        self.actor = nn.Sequential(layer_init(nn.Linear(obs_dim, hidden)), nn.Tanh(),
                                   layer_init(nn.Linear(hidden, hidden)), nn.Tanh(),
                                   layer_init(nn.Linear(hidden, n_actions), std=0.01))

    def forward(self, obs, action_mask):
        x = self.obs_rms(obs)
        logits = self.actor(x)
        logits = logits.masked_fill(~action_mask.bool(), torch.finfo(logits.dtype).min)
        return logits, self.critic(x)

    def get_action_and_value(self, obs, action_mask, action=None, deterministic=False):
        logits, value = self.forward(obs, action_mask)
        dist = Categorical(logits=logits)
        if action is None:
            action = logits.argmax(-1) if deterministic else dist.sample()
        return action, dist.log_prob(action), dist.entropy(), value


def compute_gae(rewards, values, dones, next_value, next_done, gamma=0.99, lam=0.95):
    T = rewards.shape[0]
    advantages = torch.zeros_like(rewards)
    lastgaelam = 0
    for t in reversed(range(T)):
        nextnonterminal = 1.0 - (next_done if t == T - 1 else dones[t + 1])
        nextvalues = next_value if t == T - 1 else values[t + 1]
        delta = rewards[t] + gamma * nextvalues * nextnonterminal - values[t]
        advantages[t] = lastgaelam = delta + gamma * lam * nextnonterminal * lastgaelam
    return advantages, advantages + values


def _inputs(n):
    obs = torch.rand(n, 16)
    mask = torch.rand(n, len(ACTIONS)) < 0.7
    mask[:, ACTIONS.index("wait_for_tanker")] = True
    return obs, mask


def corpus_case():
    torch.manual_seed(0)
    agent = Agent()
    agent.obs_rms.update(torch.rand(4096, 16))
    return {"model": agent.eval(), "inputs": _inputs, "kind": "benign"}
