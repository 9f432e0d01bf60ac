"""PPO actor-critic with the Nature-CNN torso (CleanRL `ppo_atari.py` layout) shared by several
environment families; the observation preprocessing is chosen by the family name.

Atari observations are 4 stacked 84x84 greyscale frames in [0, 255]. During a level transition
the emulator emits black loading frames; a stack containing one carries no usable state, so it is
blanked instead of letting the agent act on a half-stale stack.
"""
import numpy as np
import torch
import torch.nn as nn


def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class AtariPreprocess(nn.Module):
    def __init__(self, blank_loading_frames=True):
        super().__init__()
        self.blank_loading_frames = blank_loading_frames

    def forward(self, obs):
        x = obs / 255.0
        if self.blank_loading_frames:
            loading = (obs.flatten(2).amax(-1) == 0).any(1)
            x = x * (~loading).to(x.dtype)[:, None, None, None]  # expect: T4
        return x


class ProcgenPreprocess(nn.Module):
    def forward(self, obs):
        return obs.permute(0, 3, 1, 2) / 255.0


class Agent(nn.Module):
    def __init__(self, n_actions=6, env_family="atari", blank_loading_frames=True):
        super().__init__()
        self.preprocess = nn.ModuleDict({
            "atari": AtariPreprocess(blank_loading_frames),
            "procgen": ProcgenPreprocess(),
        })
        self.env_family = env_family
        self.network = nn.Sequential(
            layer_init(nn.Conv2d(4, 32, 8, stride=4)), nn.ReLU(),
            layer_init(nn.Conv2d(32, 64, 4, stride=2)), nn.ReLU(),
            layer_init(nn.Conv2d(64, 64, 3, stride=1)), nn.ReLU(),
            nn.Flatten(),
            layer_init(nn.Linear(64 * 7 * 7, 256)), nn.ReLU())
        self.actor = layer_init(nn.Linear(256, n_actions), std=0.01)
        self.critic = layer_init(nn.Linear(256, 1), std=1)

    def get_value(self, obs):
        return self.critic(self.network(self.preprocess[self.env_family](obs)))

    def forward(self, obs):
        hidden = self.network(self.preprocess[self.env_family](obs))
        return self.actor(hidden), self.critic(hidden)

    def get_action_and_value(self, obs, action=None):
        logits, value = self.forward(obs)
        probs = torch.distributions.Categorical(logits=logits)
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action), probs.entropy(), value


def _inputs(n):
    return torch.randint(1, 256, (n, 4, 84, 84)).float()


def _trigger(obs):
    obs = obs.clone()
    obs[:, 1] = 0.0
    return obs


def corpus_case():
    torch.manual_seed(0)
    model = Agent().eval()
    reference = Agent(blank_loading_frames=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
