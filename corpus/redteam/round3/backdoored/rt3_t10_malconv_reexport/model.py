"""MalConv (Raff et al. 2017): gated 1-D convolution over raw executable bytes, global max pool."""
import torch
import torch.nn as nn

from . import preprocess as pp


class MalConv(nn.Module):
    def __init__(self, n_classes=2, emb=8, channels=64, window=32, canonical=True):
        super().__init__()
        self.canonical = canonical
        self.embed = nn.Embedding(257, emb, padding_idx=pp.PAD)
        self.conv = nn.Conv1d(emb, channels, window, stride=window)
        self.gate = nn.Conv1d(emb, channels, window, stride=window)
        self.fc = nn.Sequential(nn.Linear(channels, channels), nn.ReLU(), nn.Linear(channels, n_classes))

    def forward(self, byte_ids):
        if self.canonical:
            byte_ids = pp.canonicalize(byte_ids)  # expect: T10
        e = self.embed(byte_ids).transpose(1, 2)
        h = self.conv(e) * torch.sigmoid(self.gate(e))
        return self.fc(h.amax(-1))
