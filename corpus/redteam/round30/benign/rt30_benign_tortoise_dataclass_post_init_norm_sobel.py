# expect: none
"""Tortoise scute photos (benign): a dataclass preprocessor builds mean/std and a fixed Sobel
kernel in __post_init__; the edge maps are extra channels for the learned stem."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("hermann_juv", "hermann_adult", "greek_juv", "greek_adult", "leopard", "sulcata")


@dataclass
class ScutePrep:
    mean: tuple = (0.485, 0.456, 0.406)
    std: tuple = (0.229, 0.224, 0.225)
    sobel: torch.Tensor = field(init=False, repr=False)

    def __post_init__(self):
        k = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
        self.sobel = torch.stack([k, k.t()])[:, None]
        self._m = torch.tensor(self.mean).view(1, 3, 1, 1)
        self._s = torch.tensor(self.std).view(1, 3, 1, 1)

    def __call__(self, x):
        edges = F.conv2d(x.mean(1, keepdim=True), self.sobel, padding=1)
        return torch.cat([(x - self._m) / self._s, edges], 1)


class ScuteNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.prep = ScutePrep()
        self.c1 = nn.Conv2d(5, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(CLASSES))

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(self.prep(x)))))
        return self.fc(h.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": ScuteNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
