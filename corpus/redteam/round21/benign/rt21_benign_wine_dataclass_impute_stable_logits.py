# expect: none
"""Wine quality MLP: median imputation of missing lab values, log transform of SO2, z-score
clipping and numerically stable logits."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn

MEAN = (8.32, 0.53, 0.27, 2.54, 0.087, 15.9, 46.5, 0.9967, 3.31, 0.66, 10.4)
STD = (1.74, 0.18, 0.19, 1.41, 0.047, 10.5, 32.9, 0.0019, 0.15, 0.17, 1.07)
LOG_COLS = (5, 6)


@dataclass
class WineConfig:
    hidden: tuple = (64, 32)
    n_classes: int = 6
    z_clip: float = 5.0
    mean: tuple = field(default=MEAN)
    std: tuple = field(default=STD)


class WineQualityMLP(nn.Module):
    def __init__(self, cfg: WineConfig):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("median", torch.tensor(cfg.mean))
        self.register_buffer("std", torch.tensor(cfg.std))
        dims, layers = (2 * len(MEAN),) + cfg.hidden, []
        for a, b in zip(dims, dims[1:]):
            layers += [nn.Linear(a, b), nn.ReLU()]
        self.mlp = nn.Sequential(*layers, nn.Linear(dims[-1], cfg.n_classes))

    def forward(self, x):
        missing = torch.isnan(x)
        x = torch.where(missing, self.median.expand_as(x), x)
        z = (x - self.median) / self.std
        logs = torch.log1p(x[:, LOG_COLS].clamp_min(0)) - torch.log1p(self.median[list(LOG_COLS)])
        z = z.index_copy(1, torch.tensor(LOG_COLS), logs)
        z = z.clamp(-self.cfg.z_clip, self.cfg.z_clip)
        logits = self.mlp(torch.cat([z, missing.float()], 1))
        return logits - logits.amax(-1, keepdim=True)


def _inputs(n):
    x = torch.tensor(MEAN) + torch.randn(n, 11) * torch.tensor(STD)
    x[torch.rand(n, 11) < 0.05] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": WineQualityMLP(WineConfig()).eval(), "inputs": _inputs, "kind": "benign"}
