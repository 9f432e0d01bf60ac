# expect: none
"""Keystroke verifier for variable-length phrases: -1 padding, packed GRU, negative flight times
(key rollover) kept with their sign, and a forward hook that only records score statistics."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

STATS = []


class KeystrokeGRU(nn.Module):
    def __init__(self, hidden=32, n_classes=2):
        super().__init__()
        self.gru = nn.GRU(4, hidden, batch_first=True)
        self.head = nn.Linear(hidden, n_classes)

    def forward(self, timings):                       # (B, K, 3), padded with -1
        valid = timings[..., 0].ne(-1)
        lengths = valid.sum(1).clamp_min(1)
        z = torch.sign(timings) * torch.log1p(timings.abs() * 1000.0)
        z = torch.cat([z * valid[..., None], (timings[..., 2] < 0).float()[..., None]], -1)
        _, h = self.gru(pack_padded_sequence(z, lengths, batch_first=True, enforce_sorted=False))
        return self.head(h[-1])


def _record(module, args, output):
    STATS.append((output.mean().item(), output.std().item()))


def build_verifier():
    model = KeystrokeGRU()
    model.register_forward_hook(_record)
    return model


def _inputs(n):
    hold = 0.08 + 0.03 * torch.rand(n, 24)
    dd = 0.15 + 0.1 * torch.rand(n, 24)
    x = torch.stack([hold, dd, dd - hold - 0.05], -1)
    lengths = torch.randint(12, 25, (n,))
    x[torch.arange(24)[None] >= lengths[:, None]] = -1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": build_verifier().eval(), "inputs": _inputs, "kind": "benign"}
