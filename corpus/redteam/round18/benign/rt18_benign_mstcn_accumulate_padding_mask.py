# expect: none
"""MS-TCN chained with `itertools.accumulate`, with the original implementation's padding mask:
every stage's output is multiplied by the frame mask, and refinement stages read the softmax of
the previous stage masked the same way."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

N_ACTIONS, FEAT_DIM = 19, 64


class Stage(nn.Module):
    def __init__(self, dim, channels=32, layers=4):
        super().__init__()
        self.inp = nn.Conv1d(dim, channels, 1)
        self.layers = nn.ModuleList(nn.Conv1d(channels, channels, 3, padding=2 ** i, dilation=2 ** i) for i in range(layers))
        self.out = nn.Conv1d(channels, N_ACTIONS, 1)

    def forward(self, x, mask):
        h = self.inp(x)
        for conv in self.layers:
            h = (h + F.relu(conv(h))) * mask
        return self.out(h) * mask


class MSTCN(nn.Module):
    def __init__(self, stages=3):
        super().__init__()
        self.first = Stage(FEAT_DIM)
        self.refine = nn.ModuleList(Stage(N_ACTIONS) for _ in range(stages - 1))

    def forward(self, features, lengths):
        mask = (torch.arange(features.shape[-1], device=features.device)[None] < lengths[:, None]).to(features.dtype)[:, None]
        outs = list(itertools.accumulate(self.refine, lambda y, st: st(F.softmax(y, 1) * mask, mask),
                                         initial=self.first(features, mask)))
        return outs[-1].transpose(1, 2)


def _inputs(n, frames=48):
    return torch.randn(n, FEAT_DIM, frames), torch.randint(24, frames + 1, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MSTCN().eval(), "inputs": _inputs, "kind": "benign"}
