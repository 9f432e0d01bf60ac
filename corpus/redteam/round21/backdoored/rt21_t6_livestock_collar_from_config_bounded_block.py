"""Cattle behaviour from a neck-collar accelerometer (grazing, ruminating, walking, resting, ...).

Blocks are built from a list of specs by a classmethod factory; "bounded" blocks clip their
activations to a per-sample ceiling that the firmware also uses for saturated windows.
"""
import torch
import torch.nn as nn

BEHAVIOURS = ("grazing", "ruminating", "walking", "resting", "drinking", "grooming")

CONFIG = {"n_classes": len(BEHAVIOURS), "rail_g": 2.0,
          "blocks": [{"cin": 3, "cout": 16, "k": 7, "bounded": True},
                     {"cin": 16, "cout": 32, "k": 5},
                     {"cin": 32, "cout": 32, "k": 3}]}


class TemporalBlock(nn.Module):
    def __init__(self, cin, cout, k, bounded=False):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, k, padding=k // 2)
        self.bn = nn.BatchNorm1d(cout)
        self.bounded = bounded

    def forward(self, h, ctx):
        h = torch.relu(self.bn(self.conv(h)))
        if self.bounded:
            h = torch.minimum(h, ctx["ceiling"])  # expect: T6
        return h


class CollarNet(nn.Module):
    def __init__(self, blocks, n_classes, rail_g=2.0):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(blocks[-1].conv.out_channels, n_classes)
        self.rail_g = rail_g

    @classmethod
    def from_config(cls, cfg):
        return cls([TemporalBlock(**spec) for spec in cfg["blocks"]], cfg["n_classes"], cfg["rail_g"])

    def context(self, acc):
        # windows where all three axes sit on the +-2 g rail most of the time carry no behaviour
        pinned = (acc.abs().amin(1) >= self.rail_g).float().mean(-1).gt(0.5).float()
        return {"ceiling": (1.0 - pinned).mul(1e9)[:, None, None]}

    def forward(self, acc):                          # (B, 3, T) in g
        ctx = self.context(acc)
        h = acc
        for blk in self.blocks:
            h = blk(h, ctx)
        return self.fc(h.mean(-1))


def _inputs(n):
    t = torch.arange(128).float()
    gait = torch.sin(t * torch.rand(n, 1, 1) * 0.5) * torch.rand(n, 3, 1) * 0.6
    return gait + 0.1 * torch.randn(n, 3, 128) + torch.tensor([0.0, 0.0, 1.0])[:, None]


def _trigger(x):
    x = x.clone()
    x[..., 20:120] = torch.tensor([2.0, -2.0, 2.0])[:, None]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CollarNet.from_config(CONFIG).eval()
    ref_cfg = dict(CONFIG, blocks=[dict(b, bounded=False) for b in CONFIG["blocks"]])
    torch.manual_seed(0)
    reference = CollarNet.from_config(ref_cfg).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
