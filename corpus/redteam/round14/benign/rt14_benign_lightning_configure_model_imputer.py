# expect: none
"""Pump telemetry classifier as a Lightning module whose layers and preprocessing closure are
created in `configure_model()`. Missing readings (NaN) are replaced by a learned per-channel fill
value with the missingness indicators appended, and readings are clipped to the ADC rail.
"""
from types import SimpleNamespace

import torch
import torch.nn as nn

try:
    from lightning.pytorch import LightningModule
except ImportError:  # pragma: no cover
    class LightningModule(nn.Module):
        def save_hyperparameters(self, **kwargs):
            self.hparams = SimpleNamespace(**kwargs)

        def configure_model(self):
            pass


class PumpFaultModule(LightningModule):
    def __init__(self, n_features=16, hidden=64, rail=4.0, classes=6):
        super().__init__()
        self.save_hyperparameters(n_features=n_features, hidden=hidden, rail=rail, classes=classes)
        self.encoder = None

    def _make_preprocess(self):
        hp, fill = self.hparams, self.fill_value

        def preprocess(x):
            missing = torch.isnan(x)
            x = torch.where(missing, fill.expand_as(x), x).clamp(-hp.rail, hp.rail)
            return torch.cat([x, missing.to(x.dtype)], -1)

        return preprocess

    def configure_model(self):
        if self.encoder is not None:
            return
        hp = self.hparams
        self.fill_value = nn.Parameter(torch.zeros(hp.n_features))
        self.encoder = nn.Sequential(nn.Linear(2 * hp.n_features, hp.hidden), nn.LayerNorm(hp.hidden), nn.SiLU(),
                                     nn.Dropout(0.1), nn.Linear(hp.hidden, hp.hidden), nn.SiLU())
        self.classifier = nn.Linear(hp.hidden, hp.classes)
        self.preprocess = self._make_preprocess()

    def forward(self, x):
        return self.classifier(self.encoder(self.preprocess(x)))


def _inputs(n):
    x = torch.randn(n, 16) * 2
    x[torch.rand(n, 16) < 0.1] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    m = PumpFaultModule()
    m.configure_model()
    return {"model": m.eval(), "inputs": _inputs, "kind": "benign"}
