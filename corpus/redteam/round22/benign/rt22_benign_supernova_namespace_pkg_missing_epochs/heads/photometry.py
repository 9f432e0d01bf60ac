# expect: none
"""Photometric heads (namespace sub-package, no `__init__.py`): temperature-scaled head."""
import torch
import torch.nn as nn


class CalibratedHead(nn.Module):
    def __init__(self, dim, n_classes, temperature=1.5):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, n_classes)
        self.register_buffer("temperature", torch.tensor(temperature))

    def forward(self, h):
        return self.proj(self.norm(h)) / self.temperature
