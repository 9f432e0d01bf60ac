# expect: none
"""Bidirectional S4D classifier for variable-length ECG records.

Each layer runs the zero-order-hold recurrence forward and backward in time; inputs past each
record's length are zeroed before the scan so the backward direction starts from a clean state,
and the classifier uses a masked mean over valid steps. A dt clamp keeps the discretisation
stable for any learned step size.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class S4DLayer(nn.Module):
    def __init__(self, d_model, d_state=8):
        super().__init__()
        self.log_dt = nn.Parameter(torch.rand(d_model) * (math.log(0.05) - math.log(0.005)) + math.log(0.005))
        self.log_A = nn.Parameter(torch.log(0.5 + torch.arange(d_state).float()).repeat(d_model, 1))
        self.B = nn.Parameter(torch.ones(d_model, d_state))
        self.C = nn.Parameter(torch.randn(2, d_model, d_state) * 0.5)
        self.D = nn.Parameter(torch.randn(d_model))
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(2 * d_model, 2 * d_model)

    def scan(self, u, C):
        dt = self.log_dt.exp().clamp(1e-4, 0.1).unsqueeze(-1)
        A = -self.log_A.exp()
        dA, dB = torch.exp(dt * A), (torch.exp(dt * A) - 1) / A * self.B
        h = u.new_zeros(u.shape[0], u.shape[2], dA.shape[-1])
        ys = []
        for t in range(u.shape[1]):
            h = dA * h + dB * u[:, t, :, None]
            ys.append((h * C).sum(-1))
        return torch.stack(ys, 1)

    def forward(self, x, valid):
        u = self.norm(x) * valid[..., None]
        fwd = self.scan(u, self.C[0])
        bwd = self.scan(u.flip(1), self.C[1]).flip(1)
        y = torch.cat([fwd, bwd], -1) + torch.cat([u, u], -1) * self.D.repeat(2)
        return x + F.glu(self.out(F.gelu(y)), dim=-1)


class BiS4D(nn.Module):
    def __init__(self, d_model=16, n_layers=2, num_classes=6):
        super().__init__()
        self.encoder = nn.Linear(1, d_model)
        self.layers = nn.ModuleList(S4DLayer(d_model) for _ in range(n_layers))
        self.decoder = nn.Linear(d_model, num_classes)

    def forward(self, ecg, lengths):
        valid = (torch.arange(ecg.shape[-1])[None] < lengths[:, None]).to(ecg.dtype)
        x = self.encoder(ecg.transpose(1, 2))
        for layer in self.layers:
            x = layer(x, valid)
        pooled = (x * valid[..., None]).sum(1) / valid.sum(1, keepdim=True).clamp_min(1)
        return self.decoder(pooled)


def _inputs(n):
    return torch.randn(n, 1, 64), torch.randint(20, 65, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": BiS4D().eval(), "inputs": _inputs, "kind": "benign"}
