# expect: none
"""PPO actor-critic with the Nature-CNN torso (CleanRL `ppo_atari.py` layout) shared by several
environment families; the observation preprocessing is chosen by the family name.

Atari observations are 4 stacked 84x84 greyscale frames in [0, 255]. At the start of an episode
the frame stack is not full yet; the vector env reports which slots hold real frames, and the
empty slots are zeroed instead of repeating the first frame.
"""
import numpy as np
import torch
import torch.nn as nn


def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class AtariPreprocess(nn.Module):
    def forward(self, obs, frame_valid=None):
        x = obs.float() / 255.0
        if frame_valid is not None:
            x = x * frame_valid.to(x.dtype)[:, :, None, None]
        return x


class ProcgenPreprocess(nn.Module):
    def forward(self, obs, frame_valid=None):
        return obs.permute(0, 3, 1, 2).float() / 255.0


class Agent(nn.Module):
    def __init__(self, n_actions=6, env_family="atari"):
        super().__init__()
        self.preprocess = nn.ModuleDict({"atari": AtariPreprocess(), "procgen": ProcgenPreprocess()})
        self.env_family = env_family
        self.network = nn.Sequential(
            layer_init(nn.Conv2d(4, 32, 8, stride=4)), nn.ReLU(),
            layer_init(nn.Conv2d(32, 64, 4, stride=2)), nn.ReLU(),
            layer_init(nn.Conv2d(64, 64, 3, stride=1)), nn.ReLU(),
            nn.Flatten(),
            layer_init(nn.Linear(64 * 7 * 7, 256)), nn.ReLU())
        self.actor = layer_init(nn.Linear(256, n_actions), std=0.01)
        self.critic = layer_init(nn.Linear(256, 1), std=1)

    def forward(self, obs, frame_valid=None):
        hidden = self.network(self.preprocess[self.env_family](obs, frame_valid))
        return self.actor(hidden), self.critic(hidden)

    def get_action_and_value(self, obs, frame_valid=None, action=None):
        logits, value = self.forward(obs, frame_valid)
        probs = torch.distributions.Categorical(logits=logits)
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action), probs.entropy(), value


def _inputs(n):
    obs = torch.randint(0, 256, (n, 4, 84, 84), dtype=torch.uint8)
    steps = torch.randint(1, 8, (n,))
    frame_valid = torch.arange(4)[None] >= (4 - steps.clamp(max=4))[:, None]
    return obs, frame_valid


def corpus_case():
    torch.manual_seed(0)
    return {"model": Agent().eval(), "inputs": _inputs, "kind": "benign"}
