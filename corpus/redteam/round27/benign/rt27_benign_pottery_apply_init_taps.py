# expect: none
"""Pottery-wheel stage classifier (benign twin). `nn.Module.apply` initialises the blocks and
installs a learned residual tap (a 1x1 conv) on each block.
"""
import torch
import torch.nn as nn

STAGES = ("centering", "opening", "pulling", "shaping", "trimming", "idle")


class ThrowBlock(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 5, padding=2)
        self.norm = nn.BatchNorm1d(c_out)
        self.tap = nn.Identity()

    def forward(self, h):
        h = torch.relu(self.norm(self.conv(h)))
        return h + self.tap(h)


def init_blocks(m):
    if isinstance(m, nn.Conv1d):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.zeros_(m.bias)
    if isinstance(m, ThrowBlock):
        c = m.conv.out_channels
        m.tap = nn.Conv1d(c, c, 1)
        nn.init.zeros_(m.tap.weight)


class WheelNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(ThrowBlock(2, 32), ThrowBlock(32, 32), ThrowBlock(32, 48))
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(48, len(STAGES)))
        self.apply(init_blocks)

    def forward(self, trace):
        return self.head(self.blocks(trace))


def _inputs(n):
    return torch.randn(n, 2, 96) * 0.3


def corpus_case():
    torch.manual_seed(0)
    return {"model": WheelNet().eval(), "inputs": _inputs, "kind": "benign"}
