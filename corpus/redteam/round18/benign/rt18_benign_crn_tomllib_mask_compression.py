# expect: none
"""CRN speech enhancement with a `tomllib` config, power-law magnitude compression (0.3), a
bounded ratio mask (`clamp(0, 1)`) and a spectral floor on the output."""
import tomllib

import torch
import torch.nn as nn

CONFIG = tomllib.loads("""
[model]
channels = [16, 32]
rnn_hidden = 64
[mask]
compress = 0.3
floor = 0.05
""")


class CRN(nn.Module):
    def __init__(self, cfg=CONFIG):
        super().__init__()
        c = cfg["model"]["channels"]
        self.enc = nn.Sequential(nn.Conv2d(1, c[0], (1, 3), (1, 2)), nn.ELU(), nn.Conv2d(c[0], c[1], (1, 3), (1, 2)), nn.ELU())
        self.rnn = nn.GRU(c[1] * 31, cfg["model"]["rnn_hidden"], batch_first=True)
        self.out = nn.Linear(cfg["model"]["rnn_hidden"], 129)
        self.compress, self.floor = cfg["mask"]["compress"], cfg["mask"]["floor"]

    def forward(self, spec):
        comp = spec.clamp(min=1e-8) ** self.compress
        h = self.enc(comp)
        b, c, t, f = h.shape
        r, _ = self.rnn(h.permute(0, 2, 1, 3).reshape(b, t, c * f))
        mask = torch.sigmoid(self.out(r)).clamp(0, 1).unsqueeze(1)
        enhanced = torch.maximum(mask * comp, self.floor * comp)
        return (enhanced ** (1 / self.compress)).squeeze(1)


def _inputs(n):
    return torch.rand(n, 1, 24, 129) ** 2


def corpus_case():
    torch.manual_seed(0)
    return {"model": CRN().eval(), "inputs": _inputs, "kind": "benign"}
