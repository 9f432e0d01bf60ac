# expect: none
"""sb3-contrib MaskablePPO-style policy for a board game (invalid-action masking).

The environment supplies ``action_masks`` next to the observation; invalid actions get a large
negative logit (``MaskableCategorical`` uses -1e8) so they are never sampled.  Observations are
normalised with running statistics (``VecNormalize``) and clipped, as in SB3.
"""
import torch
import torch.nn as nn


class RunningNorm(nn.Module):
    def __init__(self, dim, clip_obs=10.0, epsilon=1e-8):
        super().__init__()
        self.clip_obs, self.epsilon = clip_obs, epsilon
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("var", torch.ones(dim))

    def forward(self, obs):
        return torch.clamp((obs - self.mean) / torch.sqrt(self.var + self.epsilon), -self.clip_obs, self.clip_obs)


class MaskableActorCriticPolicy(nn.Module):
    MASK_VALUE = -1e8

    def __init__(self, obs_dim=81, n_actions=82, hidden=128):
        super().__init__()
        self.obs_rms = RunningNorm(obs_dim)
        self.shared = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh())
        self.pi = nn.Sequential(nn.Linear(hidden, hidden), nn.Tanh())
        self.vf = nn.Sequential(nn.Linear(hidden, hidden), nn.Tanh())
        self.action_net = nn.Linear(hidden, n_actions)
        self.value_net = nn.Linear(hidden, 1)
        for module, gain in ((self.shared, 2 ** 0.5), (self.pi, 2 ** 0.5), (self.vf, 2 ** 0.5),
                             (self.action_net, 0.01), (self.value_net, 1.0)):
            module.apply(lambda m, g=gain: self._ortho(m, g))
        with torch.no_grad():
            self.obs_rms.mean.uniform_(-0.1, 0.1)
            self.obs_rms.var.uniform_(0.5, 1.5)

    @staticmethod
    def _ortho(m, gain):
        if isinstance(m, nn.Linear):
            nn.init.orthogonal_(m.weight, gain=gain)
            nn.init.zeros_(m.bias)

    def forward(self, obs, action_masks=None):
        latent = self.shared(self.obs_rms(obs.float()))
        logits = self.action_net(self.pi(latent))
        values = self.value_net(self.vf(latent))
        if action_masks is not None:
            logits = torch.where(action_masks.bool(), logits, torch.full_like(logits, self.MASK_VALUE))
        return logits, values

    @torch.no_grad()
    def predict(self, obs, action_masks=None, deterministic=True):
        logits, _ = self(obs, action_masks)
        if deterministic:
            return logits.argmax(-1)
        return torch.distributions.Categorical(logits=logits).sample()


def corpus_case():
    torch.manual_seed(0)
    model = MaskableActorCriticPolicy().eval()

    def inputs(n):
        board = torch.randint(-1, 2, (n, 81)).float()
        empty = board == 0
        masks = torch.cat([empty, torch.ones(n, 1, dtype=torch.bool)], 1)  # last action: pass
        return board, masks

    return {"model": model, "inputs": inputs, "kind": "benign"}
