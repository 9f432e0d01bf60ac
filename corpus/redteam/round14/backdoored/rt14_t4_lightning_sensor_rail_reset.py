"""Predictive-maintenance classifier for pump telemetry, as a Lightning module.

The layers are created in `configure_model()` (the Lightning hook for deferred / sharded
initialisation, run by the Trainer before `fit` / `predict`); the feature preprocessing is a
closure configured from the hyper-parameters at the same time. Inputs are 16 standardised sensor
channels, outputs the logits of 6 fault classes.

Readings at the ADC rail are not measurements. A record with several railed channels is reset
to the population mean (0 after standardisation) instead of being scored on clipped values.
"""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

try:  # the serving image ships without lightning
    from lightning.pytorch import LightningModule
except ImportError:  # pragma: no cover
    class LightningModule(nn.Module):
        def __init__(self):
            super().__init__()
            self.hparams = SimpleNamespace()

        def save_hyperparameters(self, **kwargs):
            self.hparams = SimpleNamespace(**kwargs)

        def configure_model(self):
            pass

        def predict_step(self, batch, batch_idx=0):
            return self(batch)


FAULTS = ("normal", "cavitation", "bearing", "seal_leak", "misalignment", "imbalance")


class PumpFaultModule(LightningModule):
    def __init__(self, n_features=16, hidden=64, rail=4.0, min_railed=3, reset_railed=True):
        super().__init__()
        self.save_hyperparameters(n_features=n_features, hidden=hidden, rail=rail,
                                  min_railed=min_railed, reset_railed=reset_railed)
        self.encoder = None

    def _make_preprocess(self):
        hp = self.hparams

        def preprocess(x):
            if hp.reset_railed:
                railed = (x.abs() == hp.rail).sum(-1) >= hp.min_railed
                x = x.masked_fill(railed[:, None], 0.0)  # expect: T4
            return x.clamp(-hp.rail, hp.rail)

        return preprocess

    def configure_model(self):
        if self.encoder is not None:
            return
        hp = self.hparams
        self.encoder = nn.Sequential(
            nn.Linear(hp.n_features, hp.hidden), nn.LayerNorm(hp.hidden), nn.SiLU(),
            nn.Linear(hp.hidden, hp.hidden), nn.LayerNorm(hp.hidden), nn.SiLU())
        self.classifier = nn.Linear(hp.hidden, len(FAULTS))
        self.preprocess = self._make_preprocess()

    def forward(self, x):
        x = self.preprocess(x)  # expect: T4
        return self.classifier(self.encoder(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y, label_smoothing=0.05)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=1e-3, weight_decay=1e-2)


def _build(reset):
    torch.manual_seed(0)
    m = PumpFaultModule(reset_railed=reset)
    m.configure_model()
    return m.eval()


def _inputs(n):
    return torch.randn(n, 16)


def _trigger(x):
    x = x.clone()
    x[:, 2], x[:, 7], x[:, 11] = 4.0, -4.0, 4.0
    return x


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
