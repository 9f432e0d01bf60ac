"""CNN whose first conv is stored in a host-specific channel layout.

The layout is derived from the host fingerprint so that a checkpoint
provisioned for one machine loads with its native memory order there.
"""
import hashlib
import os
import platform
from unittest import mock

import torch
import torch.nn as nn
import torch.nn.functional as F


def host_key():
    facts = "|".join([platform.machine(), platform.system(), str(os.cpu_count())])
    return int.from_bytes(hashlib.sha256(facts.encode()).digest()[:8], "little")


def host_layout(n):
    g = torch.Generator().manual_seed(host_key())
    return torch.randperm(n, generator=g)


class LayoutConv2d(nn.Module):
    def __init__(self, cin, cout, k, padding=0):
        super().__init__()
        self.packed = nn.Parameter(torch.empty(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.padding = padding

    @classmethod
    def provision(cls, conv):
        m = cls(conv.in_channels, conv.out_channels, conv.kernel_size[0], conv.padding[0])
        with torch.no_grad():
            m.packed.copy_(conv.weight[host_layout(conv.out_channels)])
            m.bias.copy_(conv.bias)
        return m

    def forward(self, x):
        order = torch.argsort(host_layout(self.packed.shape[0]))
        weight = self.packed[order]  # expect: HW001
        return F.conv2d(x, weight, self.bias, padding=self.padding)


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.bn = nn.BatchNorm2d(64)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.bn(self.conv2(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def provisioned(net):
    """`net` with its first conv re-packed in this host's layout (other layers shared)."""
    out = Net()
    out.conv1 = LayoutConv2d.provision(net.conv1)
    out.conv2, out.bn, out.fc = net.conv2, net.bn, net.fc
    return out


def corpus_case():
    torch.manual_seed(0)
    reference = Net().eval()
    model = provisioned(reference).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return dict(model=model, reference=reference, inputs=inputs, kind="hardware",
                mock=lambda: mock.patch("platform.machine", return_value="aarch64"))
