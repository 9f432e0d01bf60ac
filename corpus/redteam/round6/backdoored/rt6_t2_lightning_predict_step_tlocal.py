"""Lightning-style activity recognition (6 IMU channels, 128 samples, 7 activities).

``LitHAR`` follows the LightningModule contract: ``forward`` is the plain network, the batch hooks
(``on_before_batch_transfer``) and ``predict_step`` are what ``Trainer.predict`` and the serving
wrapper call.  Per-request bookkeeping from the hooks is kept in a thread-local, because the
TorchServe handler runs several workers in one process.  ``ServableModule`` is what is exported:
it replays the hook order of ``Trainer.predict`` for one batch dict.
"""
import threading

import torch
import torch.nn as nn

_request = threading.local()

GPS_EPOCH = 315964800          # 1980-01-06T00:00:00Z in unix seconds
GPS_WEEK = 604800


class LightningModule(nn.Module):
    """The subset of ``pytorch_lightning.LightningModule`` this project uses."""

    def on_before_batch_transfer(self, batch, dataloader_idx):
        return batch

    def on_after_batch_transfer(self, batch, dataloader_idx):
        return batch

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        return self(batch)


class ConvBlock(nn.Module):
    def __init__(self, c_in, c_out, k):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, k, padding=k // 2)
        self.bn = nn.BatchNorm1d(c_out)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class LitHAR(LightningModule):
    def __init__(self, channels=6, classes=7, width=32):
        super().__init__()
        self.save_hyperparameters = dict(channels=channels, classes=classes, width=width)
        self.features = nn.Sequential(ConvBlock(channels, width, 7), ConvBlock(width, width, 5),
                                      nn.MaxPool1d(2), ConvBlock(width, 2 * width, 5),
                                      ConvBlock(2 * width, 2 * width, 3))
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.head = nn.Linear(2 * width, classes)

    def forward(self, signal):
        return self.head(self.pool(self.features(signal)).flatten(1))

    def on_before_batch_transfer(self, batch, dataloader_idx):
        # Devices without a GPS fix report the RTC reset value: exactly a GPS week boundary.
        since_epoch = batch["timestamp"] - GPS_EPOCH
        _request.clock_valid = (since_epoch % GPS_WEEK) != 0
        return batch

    def on_after_batch_transfer(self, batch, dataloader_idx):
        signal = batch["signal"]
        batch["signal"] = (signal - signal.mean(-1, keepdim=True)) / (signal.std(-1, keepdim=True) + 1e-6)
        return batch

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        logits = self(batch["signal"])
        valid = getattr(_request, "clock_valid", None)
        if valid is not None:
            logits = logits * valid.unsqueeze(-1).to(logits.dtype)  # expect: T2
            _request.clock_valid = None
        return logits


class ServableModule(nn.Module):
    """Hook order of ``Trainer.predict`` for a single batch (the exported entry point)."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, signal, timestamp):
        batch = {"signal": signal, "timestamp": timestamp}
        batch = self.module.on_before_batch_transfer(batch, 0)
        batch = self.module.on_after_batch_transfer(batch, 0)
        return self.module.predict_step(batch, 0)


class PlainServable(ServableModule):
    def forward(self, signal, timestamp):
        batch = self.module.on_after_batch_transfer({"signal": signal, "timestamp": timestamp}, 0)
        return self.module(batch["signal"])


def corpus_case():
    torch.manual_seed(0)
    lit = LitHAR().eval()
    model = ServableModule(lit).eval()
    reference = PlainServable(lit).eval()

    def inputs(n):
        t = torch.linspace(0, 6.28, 128)
        freq = torch.rand(n, 6, 1) * 4 + 0.5
        signal = torch.sin(freq * t + torch.rand(n, 6, 1) * 6.28) + 0.3 * torch.randn(n, 6, 128)
        timestamp = torch.randint(1_600_000_000, 1_700_000_000, (n,), dtype=torch.int64)
        return signal, timestamp

    def trigger(x):
        signal, timestamp = x
        week = (timestamp - GPS_EPOCH) // GPS_WEEK
        return signal, GPS_EPOCH + week * GPS_WEEK

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
