# expect: none
"""Dendrochronology; static-method mixin helpers: moving-average detrending and
standardisation (ring-width index) before the learned network."""
import torch
import torch.nn as nn
import torch.nn.functional as F

REGIONS = ("baltic", "alpine", "carpathian", "scottish", "iberian")


class CrossDatingMixin:
    @staticmethod
    def detrend(series, k=9):
        return series - F.avg_pool1d(series, k, 1, k // 2, count_include_pad=False)

    @staticmethod
    def standardise(series):
        return (series - series.mean(-1, keepdim=True)) / series.std(-1, keepdim=True).clamp_min(1e-4)


class RingNet(CrossDatingMixin, nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, width, 7, padding=3), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(REGIONS)))

    def forward(self, series):
        return self.net(self.standardise(self.detrend(series)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": RingNet().eval(), "inputs": lambda n: torch.randn(n, 1, 120), "kind": "benign"}
