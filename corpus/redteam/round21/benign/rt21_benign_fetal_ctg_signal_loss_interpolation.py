# expect: none
"""CTG net. Signal loss (FHR == 0) is filled with the last valid value, smoothed with a stored
non-persistent Gaussian kernel, and the loss fraction is an extra channel."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SignalQuality(nn.Module):
    def __init__(self):
        super().__init__()
        k = torch.exp(-torch.arange(-4, 5).float() ** 2 / 8)
        self.register_buffer("smooth", (k / k.sum()).view(1, 1, -1), persistent=False)

    def forward(self, fhr, uc):
        valid = fhr.gt(50)
        idx = torch.where(valid, torch.arange(fhr.shape[-1]).expand_as(fhr), torch.zeros_like(fhr, dtype=torch.long))
        filled = fhr.gather(-1, idx.cummax(-1).values)
        filled = torch.where(filled.gt(50), filled, torch.full_like(filled, 140.0))
        sm = F.conv1d(F.pad(filled[:, None], (4, 4), mode="replicate"), self.smooth)[:, 0]
        loss = F.avg_pool1d((~valid).float()[:, None], 9, 1, 4)[:, 0]
        return torch.stack([(sm - 140.0) / 25.0, uc / 100.0, loss], 1)


class CTGNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.quality = SignalQuality()
        self.net = nn.Sequential(nn.Conv1d(3, width, 15, 4, 7), nn.BatchNorm1d(width), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, 3))

    def forward(self, fhr, uc):
        return self.net(self.quality(fhr, uc))


def _inputs(n):
    fhr = 130 + torch.cumsum(torch.randn(n, 480) * 0.5, -1)
    fhr[torch.rand(n, 480) < 0.05] = 0.0
    return fhr, 20 + 40 * torch.rand(n, 480)


def corpus_case():
    torch.manual_seed(0)
    return {"model": CTGNet().eval(), "inputs": _inputs, "kind": "benign"}
