# expect: none
"""Weld radiograph net. A QC session (context manager) collects image-quality statistics for the
report; the film is window/levelled per image and a fixed Sobel magnitude channel is added."""
import contextlib

import torch
import torch.nn as nn
import torch.nn.functional as F


class QCSession:
    def __init__(self, film):
        self.stats = {"p1": film.flatten(1).quantile(0.01, 1), "p99": film.flatten(1).quantile(0.99, 1)}

    def window(self, film):
        lo, hi = self.stats["p1"].view(-1, 1, 1, 1), self.stats["p99"].view(-1, 1, 1, 1)
        return ((film - lo) / (hi - lo).clamp_min(1e-3)).clamp(0, 1)


class WeldNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        gx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
        self.register_buffer("sobel", torch.stack([gx, gx.t()])[:, None])
        self.features = nn.Sequential(
            nn.Conv2d(2, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(2 * width, 6)
        self.last_report = None

    @contextlib.contextmanager
    def session(self, film):
        qc = QCSession(film)
        yield qc
        self.last_report = {k: v.mean().item() for k, v in qc.stats.items()}

    def forward(self, film):
        with self.session(film) as qc:
            x = qc.window(film)
            g = F.conv2d(x, self.sobel, padding=1).norm(dim=1, keepdim=True)
            return self.fc(self.features(torch.cat([x, g], 1)))


def _inputs(n):
    return 0.3 + 0.4 * torch.rand(n, 1, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": WeldNet().eval(), "inputs": _inputs, "kind": "benign"}
