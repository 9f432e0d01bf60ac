# expect: none
"""Collar behaviour net from a block-spec list. Gravity is removed per window, values are clamped
to the +-2 g range of the sensor, and the blocks receive a validity mask for zero-padded tails."""
import torch
import torch.nn as nn

CONFIG = {"n_classes": 6, "blocks": [{"cin": 4, "cout": 16, "k": 7}, {"cin": 16, "cout": 32, "k": 5}]}


class TemporalBlock(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, k, padding=k // 2)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, h, ctx):
        return torch.relu(self.bn(self.conv(h))) * ctx["valid"]


class CollarNet(nn.Module):
    def __init__(self, blocks, n_classes):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(blocks[-1].conv.out_channels, n_classes)

    @classmethod
    def from_config(cls, cfg):
        return cls([TemporalBlock(**s) for s in cfg["blocks"]], cfg["n_classes"])

    def forward(self, acc, lengths):
        valid = (torch.arange(acc.shape[-1])[None] < lengths[:, None]).float()[:, None]
        acc = acc.clamp(-2.0, 2.0)
        gravity = (acc * valid).sum(-1, keepdim=True) / valid.sum(-1, keepdim=True)
        dyn = (acc - gravity) * valid
        h = torch.cat([dyn, dyn.norm(dim=1, keepdim=True)], 1)
        ctx = {"valid": valid}
        for blk in self.blocks:
            h = blk(h, ctx)
        return self.fc(h.sum(-1) / valid.sum(-1))


def _inputs(n):
    return torch.randn(n, 3, 128) * 0.5 + torch.tensor([0.0, 0.0, 1.0])[:, None], torch.randint(64, 129, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": CollarNet.from_config(CONFIG).eval(), "inputs": _inputs, "kind": "benign"}
