# expect: none
"""Whisper-tiny-lite audio tagger with a ``TorchDispatchMode`` FLOP counter around the encoder
(the profiler build), Whisper's log-mel dynamic range clamp (``maximum(x, x.max() - 8)``) and the
usual ``(x + 4) / 4`` scaling.  The counter only counts matrix-multiply FLOPs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


class FlopCounter(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.flops = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if func in (aten.mm.default, aten.addmm.default, aten.bmm.default):
            a, b = args[-2], args[-1]
            self.flops += 2 * a.numel() * b.shape[-1]
        return out


class Encoder(nn.Module):
    def __init__(self, n_mels=40, d=64):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv1d(n_mels, d, 3, padding=1), nn.Conv1d(d, d, 3, 2, 1)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, 0.0, activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.ln = nn.LayerNorm(d)

    def forward(self, mel):
        x = F.gelu(self.conv2(F.gelu(self.conv1(mel)))).transpose(1, 2)
        return self.ln(self.blocks(x))


class Tagger(nn.Module):
    def __init__(self, n_events=8):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Linear(64, n_events)
        self.last_flops = 0

    def forward(self, log_mel):
        x = torch.maximum(log_mel, log_mel.amax((1, 2), keepdim=True) - 8.0)
        x = (x + 4.0) / 4.0
        with FlopCounter() as counter:
            h = self.encoder(x)
        self.last_flops = counter.flops
        return self.head(h.mean(1))


def _inputs(n):
    return torch.randn(n, 40, 64) * 2 - 4


def corpus_case():
    torch.manual_seed(0)
    return {"model": Tagger().eval(), "inputs": _inputs, "kind": "benign"}
