# expect: none
"""timm-style ResNet-lite whose ``_init_weights`` (applied with ``self.apply``) also installs
hooks: a pre-hook on the stem that accepts NHWC uint8 frames from the camera SDK, and forward hooks
on every BatchNorm that keep running activation statistics for the monitoring exporter (saturation
rate and dead-channel fraction; they never modify outputs).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _nhwc_uint8_to_nchw(module, args):
    x = args[0]
    if x.dim() == 4 and x.shape[-1] == module.in_channels and x.shape[1] != module.in_channels:
        x = x.permute(0, 3, 1, 2)
    if x.dtype == torch.uint8:
        x = x.float().div(255.0)
    return (x.contiguous(),) + tuple(args[1:])


class ActivationStats:
    def __init__(self, momentum=0.05):
        self.momentum, self.stats = momentum, {}

    def hook(self, name):
        def _record(module, inputs, output):
            with torch.no_grad():
                saturated = (output.abs() > 6.0).float().mean().item()
                dead = (output.amax(dim=(0, 2, 3)) <= 0).float().mean().item()
            prev = self.stats.get(name, (saturated, dead))
            m = self.momentum
            self.stats[name] = ((1 - m) * prev[0] + m * saturated, (1 - m) * prev[1] + m * dead)
        return _record


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.downsample = None if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        sc = x if self.downsample is None else self.downsample(x)
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + sc)


class ResNetLite(nn.Module):
    def __init__(self, num_classes=10, in_chans=3, widths=(32, 64, 128)):
        super().__init__()
        self.in_chans = in_chans
        self.monitor = ActivationStats()
        self.conv1 = nn.Conv2d(in_chans, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        blocks, cin = [], widths[0]
        for i, w in enumerate(widths):
            blocks.append(BasicBlock(cin, w, 1 if i == 0 else 2))
            cin = w
        self.layers = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, num_classes)
        self._names = {m: n for n, m in self.named_modules()}
        self.apply(self._init_weights)

    def _init_weights(self, m):
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.in_channels == self.in_chans and m.groups == 1:
                m.register_forward_pre_hook(_nhwc_uint8_to_nchw)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
            m.register_forward_hook(self.monitor.hook(self._names.get(m, "bn")))
        elif isinstance(m, nn.Linear):
            nn.init.uniform_(m.weight, -1 / math.sqrt(m.in_features), 1 / math.sqrt(m.in_features))
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layers(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def corpus_case():
    torch.manual_seed(0)
    model = ResNetLite().eval()

    def inputs(n):
        return torch.randint(0, 256, (n, 32, 32, 3), dtype=torch.uint8)

    return {"model": model, "inputs": inputs, "kind": "benign"}
