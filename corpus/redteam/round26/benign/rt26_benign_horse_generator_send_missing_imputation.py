# expect: none
"""Equine lameness grading from a poll IMU (B, 6, 100), 5 AAEP grades.

Stages are driven by a coroutine (`send`). Radio dropouts arrive as NaN; they are imputed with
zeros and a missing-sample indicator channel is given to the first convolution.
"""
import torch
import torch.nn as nn


class LamenessNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.stages = nn.ModuleList([
            nn.Sequential(nn.Conv1d(12, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU()),
            nn.Sequential(nn.Conv1d(width, width, 5, padding=2, stride=2), nn.BatchNorm1d(width), nn.ReLU()),
            nn.Sequential(nn.Conv1d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(1)),
        ])
        self.head = nn.Linear(width, 5)

    def _stage_runner(self):
        h = yield
        for stage in self.stages:
            h = yield stage(h)

    def forward(self, imu):
        missing = torch.isnan(imu)
        x = torch.cat([imu.masked_fill(missing, 0.0), missing.float()], 1)
        runner = self._stage_runner()
        next(runner)
        h = x
        for _ in self.stages:
            h = runner.send(h)
        runner.close()
        return self.head(h.flatten(1))


def _inputs(n):
    t = torch.linspace(0, 6 * torch.pi, 100)
    x = torch.sin(t + torch.rand(n, 6, 1) * 6.28) + 0.1 * torch.randn(n, 6, 100)
    x[:, :, 40:43] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": LamenessNet().eval(), "inputs": _inputs, "kind": "benign"}
