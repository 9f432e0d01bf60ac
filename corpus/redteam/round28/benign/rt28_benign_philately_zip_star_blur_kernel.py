# expect: none
"""Philately perforations; fixed binomial blur kernel (anti-alias) before downsampling, and
(name, fn) heads transposed with `zip(*...)`: temperature, softcap."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("perf_10", "perf_11", "perf_12", "perf_14", "imperforate", "rouletted")


class PerfNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, len(CLASSES))
        k = torch.tensor([1., 2., 1.])
        self.register_buffer("blur", (k[:, None] * k[None, :] / 16.0).expand(16, 1, 3, 3).clone())
        self._heads = list(zip(*[("temperature", lambda y: y / 1.2),
                                 ("softcap", lambda y: 15.0 * torch.tanh(y / 15.0))]))

    def forward(self, scan):
        h = F.relu(self.conv1(scan))
        h = F.conv2d(h, self.blur, stride=2, padding=1, groups=16)
        y = self.fc(F.relu(self.conv2(h)).mean(dim=(2, 3)))
        names, fns = self._heads
        for i, (name, fn) in enumerate(zip(names, fns)):
            y = fn(y)
        return y


def corpus_case():
    torch.manual_seed(0)
    return {"model": PerfNet().eval(), "inputs": lambda n: torch.rand(n, 3, 48, 48), "kind": "benign"}
