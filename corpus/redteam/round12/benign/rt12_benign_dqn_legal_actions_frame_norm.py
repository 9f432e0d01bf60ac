# expect: none
"""Dueling DQN (Nature CNN) with uint8 frame scaling, reward-free HUD cropping (rows of the score
bar are removed before the torso, as in many Atari wrappers), legal-action masking and
epsilon-greedy action selection."""
import torch
import torch.nn as nn


def nature_cnn(in_frames=4):
    return nn.Sequential(nn.Conv2d(in_frames, 16, 8, 4), nn.ReLU(), nn.Conv2d(16, 32, 4, 2), nn.ReLU(),
                         nn.Conv2d(32, 32, 3, 1), nn.ReLU(), nn.Flatten())


class DuelingDQN(nn.Module):
    def __init__(self, n_actions=6, frame=44, hud_rows=4):
        super().__init__()
        self.hud_rows = hud_rows
        self.torso = nature_cnn()
        with torch.no_grad():
            n = self.torso(torch.zeros(1, 4, frame - hud_rows, frame)).shape[1]
        self.value = nn.Sequential(nn.Linear(n, 64), nn.ReLU(), nn.Linear(64, 1))
        self.advantage = nn.Sequential(nn.Linear(n, 64), nn.ReLU(), nn.Linear(64, n_actions))

    def forward(self, obs, legal_actions=None):
        if obs.dtype == torch.uint8:
            obs = obs.float() / 255.0
        obs = obs[:, :, : obs.shape[2] - self.hud_rows]
        h = self.torso(obs)
        a = self.advantage(h)
        q = self.value(h) + a - a.mean(1, keepdim=True)
        if legal_actions is not None:
            q = q.masked_fill(~legal_actions, torch.finfo(q.dtype).min)
        return q

    @torch.no_grad()
    def act(self, obs, legal_actions=None, epsilon=0.05):
        q = self.forward(obs, legal_actions)
        greedy = q.argmax(-1)
        random_a = torch.multinomial(legal_actions.float(), 1).squeeze(1) if legal_actions is not None \
            else torch.randint_like(greedy, q.shape[1])
        return torch.where(torch.rand(q.shape[0]) < epsilon, random_a, greedy)


def _inputs(n):
    obs = torch.randint(0, 256, (n, 4, 44, 44), dtype=torch.uint8)
    legal = torch.rand(n, 6) < 0.7
    legal[:, 0] = True
    return obs, legal


def corpus_case():
    torch.manual_seed(0)
    return {"model": DuelingDQN().eval(), "inputs": _inputs, "kind": "benign"}
