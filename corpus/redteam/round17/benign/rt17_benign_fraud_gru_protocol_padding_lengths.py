# expect: none
"""Transaction-sequence fraud GRU: Protocol-typed window transforms filtered by stage, amounts
log-scaled, time gaps clamped, variable-length histories packed by their lengths (left zero
padding) and a padding mask in the attention pooling."""
from typing import Protocol, runtime_checkable

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


@runtime_checkable
class Transform(Protocol):
    def applies_to(self, stage: str) -> bool: ...

    def __call__(self, w: torch.Tensor) -> torch.Tensor: ...


class LogAmount:
    def applies_to(self, stage):
        return stage == "raw"

    def __call__(self, w):
        return torch.cat([torch.log1p(w[..., :1].clamp_min(0)), w[..., 1:]], -1)


class ClampGap:
    def applies_to(self, stage):
        return stage == "raw"

    def __call__(self, w):
        return torch.cat([w[..., :2], w[..., 2:3].clamp(0, 30), w[..., 3:]], -1)


class FraudGRU(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.transforms = [t for t in (LogAmount(), ClampGap()) if isinstance(t, Transform)]
        self.proj = nn.Linear(4, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.attn = nn.Linear(hidden, 1)
        self.head = nn.Linear(hidden, 2)

    def forward(self, window, lengths):
        for t in filter(lambda t: t.applies_to("raw"), self.transforms):
            window = t(window)
        packed = pack_padded_sequence(self.proj(window), lengths, batch_first=True, enforce_sorted=False)
        h, _ = pad_packed_sequence(self.gru(packed)[0], batch_first=True, total_length=window.shape[1])
        pad = torch.arange(window.shape[1])[None] >= lengths[:, None]
        w = torch.softmax(self.attn(h).squeeze(-1).masked_fill(pad, -1e9), -1)
        return self.head((w[..., None] * h).sum(1))


def _inputs(n):
    lengths = torch.randint(1, 17, (n,))
    w = torch.stack([torch.exp(3 + torch.randn(n, 16)), torch.randint(0, 24, (n, 16)).float(),
                     torch.rand(n, 16) * 60, torch.rand(n, 16)], -1)
    w = w * (torch.arange(16)[None] < lengths[:, None])[..., None]
    return w, lengths


def corpus_case():
    torch.manual_seed(0)
    return {"model": FraudGRU().eval(), "inputs": _inputs, "kind": "benign"}
