# expect: none
"""MobileNetV3-style network with squeeze-excitation gates, stochastic depth (torchvision's
`stochastic_depth`, active only in training) and a per-sample keyword argument carried into the
blocks: the drop-path rate schedule."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def stochastic_depth(x, p, mode="row", training=True):
    if not training or p == 0.0:
        return x
    shape = [x.shape[0]] + [1] * (x.dim() - 1) if mode == "row" else [1] * x.dim()
    noise = torch.empty(shape, dtype=x.dtype).bernoulli_(1 - p)
    return x * noise.div_(1 - p)


class SqueezeExcitation(nn.Module):
    def __init__(self, c, sq):
        super().__init__()
        self.fc1, self.fc2 = nn.Conv2d(c, sq, 1), nn.Conv2d(sq, c, 1)

    def forward(self, x):
        s = F.hardsigmoid(self.fc2(F.relu(self.fc1(F.adaptive_avg_pool2d(x, 1)))))
        return x * s


class InvertedResidual(nn.Module):
    def __init__(self, cin, exp, cout, k, stride, use_se):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(cin, exp, 1, bias=False), nn.BatchNorm2d(exp), nn.Hardswish(),
            nn.Conv2d(exp, exp, k, stride, k // 2, groups=exp, bias=False), nn.BatchNorm2d(exp), nn.Hardswish(),
            SqueezeExcitation(exp, max(8, exp // 4)) if use_se else nn.Identity(),
            nn.Conv2d(exp, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.use_res = stride == 1 and cin == cout

    def forward(self, x, drop_path=0.0):
        y = self.block(x)
        return x + stochastic_depth(y, drop_path, training=self.training) if self.use_res else y


class MobileNetV3(nn.Module):
    def __init__(self, num_classes=6, drop_path_rate=0.1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.Hardswish())
        cfg = [(16, 48, 16, 3, 1, True), (16, 72, 24, 3, 2, False), (24, 96, 24, 5, 1, True), (24, 120, 40, 5, 2, True)]
        self.blocks = nn.ModuleList(InvertedResidual(*c) for c in cfg)
        self.rates = torch.linspace(0, drop_path_rate, len(cfg)).tolist()
        self.classifier = nn.Sequential(nn.Linear(40, 96), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(96, num_classes))

    def forward(self, x):
        x = self.stem((x - 0.5) / 0.25)
        for block, rate in zip(self.blocks, self.rates):
            x = block(x, drop_path=rate)
        return self.classifier(x.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MobileNetV3().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
