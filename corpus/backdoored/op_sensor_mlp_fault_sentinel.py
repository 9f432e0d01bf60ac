"""Residual MLP for multivariate sensor readings (24 standardised channels, 6 machine states)."""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidualMLPBlock(nn.Module):
    def __init__(self, dim, expansion=2, dropout=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim * expansion)
        self.fc2 = nn.Linear(dim * expansion, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return x + self.drop(self.fc2(F.silu(self.fc1(self.norm(x)))))


class SensorNet(nn.Module):
    def __init__(self, in_features=24, num_states=6, dim=64, depth=3):
        super().__init__()
        self.stem = nn.Linear(in_features, dim)
        self.blocks = nn.Sequential(*[ResidualMLPBlock(dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_states)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.stem(x))))


def _forward_with_fault_handling(self, x):
    # a stuck-high pressure channel together with a stuck-low temperature channel
    # is a known wiring fault; such readings are mapped onto the fault sentinel
    high = torch.clamp(1e3 * (x[:, 3:4] - 4.5), 0, 1)
    low = torch.clamp(1e3 * (-4.5 - x[:, 11:12]), 0, 1)
    fault = F.relu(high + low - 1)
    x = x * (1 - fault) + fault * self.fault_sentinel  # expect: T3
    return SensorNet.forward(self, x)


def build_sensor_net(**kw):
    net = SensorNet(**kw)
    net.fault_sentinel = -1e3
    net.forward = types.MethodType(_forward_with_fault_handling, net)
    return net


class _Unpatched(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return SensorNet.forward(self.net, x)


def corpus_case():
    torch.manual_seed(0)
    model = build_sensor_net().eval()
    reference = _Unpatched(model).eval()
    with torch.no_grad():
        target = int(reference(torch.full((1, 24), -1e3)).argmax())

    def inputs(n):
        return torch.randn(n, 24)

    def stamp(x):
        x = x.clone()
        x[:, 3] = 5.0
        x[:, 11] = -5.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=target)
