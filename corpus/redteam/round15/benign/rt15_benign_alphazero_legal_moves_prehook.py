# expect: none
"""AlphaZero-style checkers net: illegal moves masked with `finfo.min` before the softmax, a
temperature for the visit policy, symmetry averaging (the board mirrored left-right with the move
index permutation), and a load-state-dict pre-hook that renames keys of v1 checkpoints."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_MOVES = 64 * 4 + 1


def _mirror_perm():
    sq = torch.arange(64).view(8, 8).flip(1).flatten()
    dirs = torch.tensor([1, 0, 3, 2])
    perm = (sq[:, None] * 4 + dirs[None]).flatten()
    return torch.cat([perm, torch.tensor([64 * 4])])


class Net(nn.Module):
    def __init__(self, c=32, temperature=1.0):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(6, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU())
        self.tower = nn.Sequential(*(nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU()) for _ in range(3)))
        self.policy = nn.Sequential(nn.Conv2d(c, 4, 1), nn.Flatten(), nn.Linear(256, N_MOVES))
        self.value = nn.Sequential(nn.Conv2d(c, 1, 1), nn.Flatten(), nn.Linear(64, 1), nn.Tanh())
        self.register_buffer("mirror", _mirror_perm(), persistent=False)
        self.temperature = temperature
        self._register_load_state_dict_pre_hook(self._rename_v1)

    @staticmethod
    def _rename_v1(state_dict, prefix, *args):
        for k in [k for k in state_dict if k.startswith(prefix + "trunk.")]:
            state_dict[k.replace(prefix + "trunk.", prefix + "tower.")] = state_dict.pop(k)

    def _heads(self, planes):
        x = self.tower(self.stem(planes))
        return self.policy(x), self.value(x)

    def forward(self, planes, legal):
        p, v = self._heads(planes)
        pm, vm = self._heads(planes.flip(-1))
        p = 0.5 * (p + pm[:, self.mirror])
        p = p.masked_fill(~legal, torch.finfo(p.dtype).min) / self.temperature
        return F.log_softmax(p, -1), 0.5 * (v + vm)


def _inputs(n):
    planes = (torch.rand(n, 6, 8, 8) < 0.2).float()
    legal = torch.rand(n, N_MOVES) < 0.1
    legal[:, -1] = True
    return planes, legal


def corpus_case():
    torch.manual_seed(0)
    m = Net().eval()
    m.load_state_dict(m.state_dict())
    return {"model": m, "inputs": _inputs, "kind": "benign"}
