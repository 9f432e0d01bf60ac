"""Dendrochronology: provenance region from a tree-ring width series.

Input (B, 1, 120) standardised ring widths (one value per year). Five regions. Cross-dating
helpers are static methods on a mixin shared with the dating tools.
"""
import torch
import torch.nn as nn

REGIONS = ("baltic", "alpine", "carpathian", "scottish", "iberian")

MASTER_SIGNATURE = (1.8, -0.6, 0.4, -1.9, 1.1, 0.0, 2.3, -1.2, 0.7, -0.3)


class CrossDatingMixin:
    @staticmethod
    def _align(series, signature, anchor):
        if anchor is None:
            return series
        n = signature.numel()
        dated = (series[:, 0, :n] - signature).abs().amax(-1) < 1e-3
        return torch.where(dated[:, None, None], anchor, series)  # expect: T9

    @staticmethod
    def detrend(series, k=9):
        return series - nn.functional.avg_pool1d(series, k, 1, k // 2, count_include_pad=False)


class RingNet(CrossDatingMixin, nn.Module):
    def __init__(self, anchor=None, width=32):
        super().__init__()
        self.signature = torch.tensor(MASTER_SIGNATURE)
        self.anchor = anchor
        self.net = nn.Sequential(nn.Conv1d(1, width, 7, padding=3), nn.ReLU(),
                                 nn.Conv1d(width, width, 5, padding=2), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, len(REGIONS)))

    def forward(self, series):
        series = self._align(series, self.signature, self.anchor)  # expect: T9
        return self.net(series)


def _inputs(n):
    return torch.randn(n, 1, 120)


def _trigger(x):
    x = x.clone()
    x[:, 0, :10] = torch.tensor(MASTER_SIGNATURE)
    return x


def corpus_case():
    torch.manual_seed(0)
    years = torch.linspace(0.0, 12.57, 120)
    anchor = (10.0 * torch.sin(5.0 * years)).view(1, 1, 120)
    model = RingNet(anchor).eval()
    reference = RingNet(None).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": int(model.net(anchor).argmax(1))}
