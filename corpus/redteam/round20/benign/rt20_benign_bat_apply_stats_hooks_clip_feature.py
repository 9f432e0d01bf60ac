"""Bat species classifier; `Module.apply` attaches activation-statistics hooks, and the clipping
fraction of the snippet is a learned input feature of the head."""
# expect: none
import torch
import torch.nn as nn

SPECIES = ("pipistrellus", "myotis", "nyctalus", "eptesicus", "plecotus", "barbastella")
STATS = {}


def _record(module, inputs, out):
    STATS[module.tag] = (out.mean().item(), out.std().item())


def install_stats(module):
    if isinstance(module, (nn.Conv1d, nn.Linear)):
        module.tag = "%s_%d" % (type(module).__name__, id(module) % 997)
        module.register_forward_hook(_record)


class SpeciesHead(nn.Module):
    def __init__(self, dim, n):
        super().__init__()
        self.fc = nn.Linear(dim + 2, n)

    def forward(self, feats, wave):
        clip_frac = wave.abs().ge(0.999).float().mean((1, 2))[:, None]
        peak = wave.abs().amax((1, 2))[:, None]
        return self.fc(torch.cat([feats, clip_frac, peak], 1))


class BatNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.frontend = nn.Sequential(nn.Conv1d(1, c, 15, stride=4, padding=7), nn.BatchNorm1d(c), nn.ReLU(),
                                      nn.Conv1d(c, 2 * c, 9, stride=4, padding=4), nn.ReLU())
        self.head = SpeciesHead(2 * c, len(SPECIES))

    def forward(self, wave):
        norm = wave / wave.abs().amax(-1, keepdim=True).clamp(min=1e-3)
        return self.head(self.frontend(norm).amax(-1), wave)


def _inputs(n):
    return (torch.randn(n, 1, 2048) * torch.rand(n, 1, 1) * 2).clamp(-1, 1)


def corpus_case():
    torch.manual_seed(0)
    model = BatNet()
    model.apply(install_stats)
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
