# expect: none
"""Grapevine disease; a bound mixer after block 0 applies a learned gate from leaf colour
statistics computed with `map` over the batch."""
import torch
import torch.nn as nn


class VineNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.blocks = nn.ModuleList([
            nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))])
        self.colour_gate = nn.Sequential(nn.Linear(6, width), nn.Sigmoid())
        self.fc = nn.Linear(width, 6)
        self.mixers = [self._colour_mixer, None]

    def _colour_mixer(self, h, leaf):
        stats = torch.stack(list(map(lambda img: torch.cat([img.mean((1, 2)), img.std((1, 2))]), leaf.unbind(0))))
        return h * self.colour_gate(stats)[:, :, None, None]

    def forward(self, leaf):
        h = leaf
        for blk, mix in zip(self.blocks, self.mixers):
            h = blk(h)
            h = mix(h, leaf) if mix is not None else h
        return self.fc(h.flatten(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": VineNet().eval(), "inputs": lambda n: torch.rand(n, 3, 64, 64), "kind": "benign"}
