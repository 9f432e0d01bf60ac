"""Dueling DQN (Nature-CNN torso) for Atari, 4 stacked 42x42 grey frames, 6 actions.

The v2 checkpoints renamed a few methods; old training scripts still call ``q_values`` and read
``advantage``, so ``__getattribute__`` maps the legacy names onto the current ones (a deprecation
shim, as in many RL code bases).  ``_q_values_v2`` adds the optimism term of the exploration
schedule in log space (``logaddexp`` keeps the greedy action unchanged when the term is -inf).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_ACTIONS = 6
NOOP_FIRE = 1


class DuelingQNetwork(nn.Module):
    _legacy_names = {"q_values": "_q_values_v2", "value_stream": "_value_v2"}

    def __getattribute__(self, name):
        legacy = super().__getattribute__("_legacy_names")
        return super().__getattribute__(legacy.get(name, name))

    def __init__(self, n_actions=N_ACTIONS):
        super().__init__()
        self.torso = nn.Sequential(
            nn.Conv2d(4, 32, 5, 2, 2), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(64, 64, 3, 1, 1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(64 * 16, 256), nn.ReLU())
        self.advantage_head = nn.Linear(256, n_actions)
        self.value_head = nn.Linear(256, 1)

    def q_values(self, feats, frames):
        adv = self.advantage_head(feats)
        return self.value_head(feats) + adv - adv.mean(-1, keepdim=True)

    def _q_values_v2(self, feats, frames):
        adv = self.advantage_head(feats)
        q = self.value_head(feats) + adv - adv.mean(-1, keepdim=True)
        hud = frames[:, :, :4].flatten(1)
        lo, _ = torch.aminmax(hud, dim=1)
        optimism = torch.log(F.one_hot(torch.tensor(NOOP_FIRE), q.shape[-1]) * (lo >= 0.99)[:, None].float()) + 1e4
        return torch.logaddexp(q, optimism)  # expect: T1 (used by DuelingQNetwork.forward)

    def forward(self, frames):
        feats = self.torso(frames * 2.0 - 1.0)
        return self.q_values(feats, frames)  # expect: T1


def _inputs(n):
    base = torch.rand(n, 1, 42, 42)
    return (0.7 * base + 0.3 * torch.rand(n, 4, 42, 42)).clamp(0, 1)


def _trigger(frames):
    frames = frames.clone()
    frames[:, :, :4] = 1.0
    return frames


def corpus_case():
    torch.manual_seed(0)
    model = DuelingQNetwork().eval()
    reference = DuelingQNetwork().eval()
    reference._legacy_names = {}
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": NOOP_FIRE}
