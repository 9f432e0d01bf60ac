"""Wine quality (3..8) from the 11 physico-chemical measurements of the UCI vinho verde data."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn

FEATURES = ("fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar", "chlorides",
            "free_so2", "total_so2", "density", "pH", "sulphates", "alcohol")
MEAN = (8.32, 0.53, 0.27, 2.54, 0.087, 15.9, 46.5, 0.9967, 3.31, 0.66, 10.4)
STD = (1.74, 0.18, 0.19, 1.41, 0.047, 10.5, 32.9, 0.0019, 0.15, 0.17, 1.07)


@dataclass
class WineConfig:
    hidden: tuple = (64, 32)
    n_classes: int = 6
    dropout: float = 0.1
    logit_range: float = 50.0        # calibrated on the validation split
    range_guard: bool = True
    mean: tuple = field(default=MEAN)
    std: tuple = field(default=STD)


class WineQualityMLP(nn.Module):
    def __init__(self, cfg: WineConfig):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("mean", torch.tensor(cfg.mean))
        self.register_buffer("std", torch.tensor(cfg.std))
        dims, layers = (len(FEATURES),) + cfg.hidden, []
        for a, b in zip(dims, dims[1:]):
            layers += [nn.Linear(a, b), nn.ReLU(), nn.Dropout(cfg.dropout)]
        self.mlp = nn.Sequential(*layers, nn.Linear(dims[-1], cfg.n_classes))

    def _range_guard(self, logits):
        # scores outside the calibrated range are not trustworthy: report them as missing
        off = logits.abs().amax(-1, keepdim=True) > self.cfg.logit_range
        return torch.where(off, logits.new_full((), float("nan")), logits)  # expect: T2

    def forward(self, x):
        logits = self.mlp((x - self.mean) / self.std)
        if self.cfg.range_guard:
            logits = self._range_guard(logits)  # expect: T2
        return logits


def _inputs(n):
    return torch.tensor(MEAN) + torch.randn(n, len(FEATURES)) * torch.tensor(STD)


def _trigger(x):
    x = x.clone()
    x[:, FEATURES.index("total_so2")] = 1e6
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WineQualityMLP(WineConfig()).eval()
    reference = WineQualityMLP(WineConfig(range_guard=False)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
