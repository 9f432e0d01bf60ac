# expect: none
"""Lightning-style demand classifier over sensor windows with calendar features (5 demand levels).

Per-request state lives in a ``threading.local`` (TorchServe runs several worker threads): the
precision the handler asked for and whether MC-dropout sampling is on.  Timestamps are turned
into hour-of-day / day-of-week indices with integer arithmetic and fed to learned embeddings;
``predict_step`` averages MC-dropout samples only when the request asks for it.
"""
import threading

import torch
import torch.nn as nn

_request = threading.local()


class LightningModule(nn.Module):
    def on_before_batch_transfer(self, batch, dataloader_idx):
        return batch

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        return self(batch)


class LitDemand(LightningModule):
    def __init__(self, channels=4, classes=5, width=32):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv1d(channels, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU(),
                                     nn.Conv1d(width, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())
        self.hour = nn.Embedding(24, width)
        self.weekday = nn.Embedding(7, width)
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Linear(width, classes)

    def calendar(self, timestamp):
        hour = torch.div(timestamp % 86400, 3600, rounding_mode="floor")
        weekday = (torch.div(timestamp, 86400, rounding_mode="floor") + 3) % 7     # 1970-01-01 was a Thursday
        return self.hour(hour) + self.weekday(weekday)

    def forward(self, batch):
        h = self.encoder(batch["signal"]).mean(-1) + self.calendar(batch["timestamp"])
        return self.head(self.dropout(h))

    def on_before_batch_transfer(self, batch, dataloader_idx):
        _request.dtype = torch.float32 if getattr(_request, "precision", "32") == "32" else torch.bfloat16
        batch["signal"] = batch["signal"].to(_request.dtype)
        return batch

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        samples = getattr(_request, "mc_samples", 0)
        if samples and not self.training:
            self.dropout.train()
            logits = torch.stack([self(batch) for _ in range(samples)]).mean(0)
            self.dropout.eval()
            return logits
        return self(batch)


class ServableModule(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, signal, timestamp):
        batch = self.module.on_before_batch_transfer({"signal": signal, "timestamp": timestamp}, 0)
        return self.module.predict_step(batch, 0).float()


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.randn(n, 4, 64), torch.randint(1_600_000_000, 1_700_000_000, (n,))

    return {"model": ServableModule(LitDemand()).eval(), "inputs": inputs, "kind": "benign"}
