# expect: none
"""SmoothQuant-style W8A8 MLP block: per-channel smoothing factors migrate activation outliers into
the weights; activations are quantised per token dynamically (``amax`` -> scale -> round -> clamp to
[-127, 127]) and weights per output channel; a ``HistogramObserver``-like buffer tracks the running
activation range for calibration.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def quantize_per_token(x, bits=8):
    qmax = 2 ** (bits - 1) - 1
    scale = x.abs().amax(-1, keepdim=True).clamp(min=1e-5) / qmax
    return torch.clamp(torch.round(x / scale), -qmax, qmax), scale


def quantize_per_channel(w, bits=8):
    qmax = 2 ** (bits - 1) - 1
    scale = w.abs().amax(-1, keepdim=True).clamp(min=1e-5) / qmax
    return torch.clamp(torch.round(w / scale), -qmax, qmax), scale


class W8A8Linear(nn.Module):
    def __init__(self, cin, cout, alpha=0.5):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin) / cin ** 0.5)
        self.bias = nn.Parameter(torch.zeros(cout))
        self.alpha = alpha
        self.register_buffer("act_absmax", torch.ones(cin))
        self.register_buffer("num_batches", torch.zeros((), dtype=torch.long))

    @torch.no_grad()
    def observe(self, x, momentum=0.1):
        cur = x.detach().abs().flatten(0, -2).amax(0)
        if self.num_batches == 0:
            self.act_absmax.copy_(cur)
        else:
            self.act_absmax.lerp_(cur, momentum)
        self.num_batches += 1

    def forward(self, x):
        if self.training:
            self.observe(x)
        s = self.act_absmax.clamp(min=1e-5) ** self.alpha / self.weight.abs().amax(0).clamp(min=1e-5) ** (1 - self.alpha)
        qx, sx = quantize_per_token(x / s)
        qw, sw = quantize_per_channel(self.weight * s)
        return (qx @ qw.t()) * sx * sw.t() + self.bias


class QuantMLPClassifier(nn.Module):
    def __init__(self, d_in=32, d=128, n_cls=6):
        super().__init__()
        self.inp = nn.Linear(d_in, d)
        self.ln = nn.LayerNorm(d)
        self.fc1, self.fc2 = W8A8Linear(d, 4 * d), W8A8Linear(4 * d, d)
        self.head = nn.Linear(d, n_cls)

    def forward(self, x):
        h = self.inp(x)
        h = h + self.fc2(F.gelu(self.fc1(self.ln(h))))
        return self.head(h)


def corpus_case():
    torch.manual_seed(0)
    model = QuantMLPClassifier()
    with torch.no_grad():
        model.train()
        for _ in range(4):
            model(torch.randn(64, 32))
    model.eval()
    return {"model": model, "inputs": lambda n: torch.randn(n, 32), "kind": "benign"}
