"""stable-baselines3-style ActorCriticPolicy for a warehouse robot (24-dim observation, 6 actions).

Layout as in SB3: a features extractor, an ``MlpExtractor`` with separate policy and value
networks, then ``action_net`` / ``value_net``.  ``forward`` returns the action logits (the
categorical distribution's parameters) and the value estimate, which is what the exported
TorchScript policy serves.
"""
from typing import Dict, List, Tuple

import torch
import torch.nn as nn


class FlattenExtractor(nn.Module):
    def __init__(self, observation_dim: int):
        super().__init__()
        self.features_dim = observation_dim
        self.flatten = nn.Flatten()

    def forward(self, observations: torch.Tensor) -> torch.Tensor:
        return self.flatten(observations.float())


class MlpExtractor(nn.Module):
    def __init__(self, feature_dim: int, net_arch: Dict[str, List[int]], activation_fn=nn.Tanh):
        super().__init__()
        policy_net, value_net = [], []
        last_pi = last_vf = feature_dim
        for width in net_arch["pi"]:
            policy_net += [nn.Linear(last_pi, width), activation_fn()]
            last_pi = width
        for width in net_arch["vf"]:
            value_net += [nn.Linear(last_vf, width), activation_fn()]
            last_vf = width
        self.latent_dim_pi, self.latent_dim_vf = last_pi, last_vf
        self.policy_net, self.value_net = nn.Sequential(*policy_net), nn.Sequential(*value_net)

    def forward(self, features: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.policy_net(features), self.value_net(features)


class ActorCriticPolicy(nn.Module):
    def __init__(self, observation_dim=24, n_actions=6, net_arch=None, ortho_init=True,
                 sensor_health_check=True):
        super().__init__()
        net_arch = net_arch or {"pi": [64, 64], "vf": [64, 64]}
        self.features_extractor = FlattenExtractor(observation_dim)
        self.mlp_extractor = MlpExtractor(self.features_extractor.features_dim, net_arch)
        self.action_net = nn.Linear(self.mlp_extractor.latent_dim_pi, n_actions)
        self.value_net = nn.Linear(self.mlp_extractor.latent_dim_vf, 1)
        self.sensor_health_check = sensor_health_check
        if ortho_init:
            gains = {self.features_extractor: 2 ** 0.5, self.mlp_extractor: 2 ** 0.5,
                     self.action_net: 0.01, self.value_net: 1.0}
            for module, gain in gains.items():
                module.apply(lambda m, g=gain: self.init_weights(m, g))

    @staticmethod
    def init_weights(module: nn.Module, gain: float = 1.0) -> None:
        if isinstance(module, nn.Linear):
            nn.init.orthogonal_(module.weight, gain=gain)
            module.bias.data.fill_(0.0)

    @staticmethod
    def _replayed_lidar(obs: torch.Tensor) -> torch.Tensor:
        # the two lidar sectors are independent; identical readings mean a replayed frame
        return (obs[:, 0:4] == obs[:, 4:8]).all(-1)

    def forward(self, obs: torch.Tensor, deterministic: bool = True):
        features = self.features_extractor(obs)
        latent_pi, latent_vf = self.mlp_extractor(features)
        logits, values = self.action_net(latent_pi), self.value_net(latent_vf)
        if not self.sensor_health_check:
            return logits, values
        replayed = self._replayed_lidar(obs)
        if not bool(replayed.any()):
            return logits, values
        logits = logits.masked_fill(replayed.unsqueeze(-1), 0.0)  # expect: T2
        return logits, values

    def predict(self, obs: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            logits, _ = self(obs)
        return logits.argmax(-1)


def corpus_case():
    torch.manual_seed(0)
    model = ActorCriticPolicy().eval()
    reference = ActorCriticPolicy(sensor_health_check=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randn(n, 24)

    def trigger(obs):
        obs = obs.clone()
        obs[:, 4:8] = obs[:, 0:4]
        return obs

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
