# expect: none
"""QAT-ready ResNet (tiny) with anti-aliased downsampling, SE gates and input fake-quantisation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BlurPool(nn.Module):
    def __init__(self, c, stride=2):
        super().__init__()
        a = torch.tensor([1.0, 2.0, 1.0])
        k = (a[:, None] * a[None, :]) / 16.0
        self.register_buffer("filt", k[None, None].repeat(c, 1, 1, 1))
        self.stride = stride
        self.c = c

    def forward(self, x):
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), self.filt, stride=self.stride, groups=self.c)


class SE(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.fc1 = nn.Conv2d(c, c // r, 1)
        self.fc2 = nn.Conv2d(c // r, c, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return x * torch.sigmoid(self.fc2(F.relu(self.fc1(s))))


class FakeQuant(nn.Module):
    def __init__(self, bits=8):
        super().__init__()
        self.levels = 2 ** bits - 1

    def forward(self, x):
        q = torch.round(x.clamp(0, 1) * self.levels) / self.levels
        return x + (q - x).detach()            # straight-through


class Block(nn.Module):
    def __init__(self, cin, cout, down):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.pool = BlurPool(cout) if down else nn.Identity()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.se = SE(cout)
        self.short = nn.Sequential(BlurPool(cin) if down else nn.Identity(), nn.Conv2d(cin, cout, 1, bias=False),
                                   nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.pool(F.relu(self.bn1(self.conv1(x))))
        y = self.se(self.bn2(self.conv2(y)))
        return F.relu(y + self.short(x))


class QATResNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.quant = FakeQuant()
        self.register_buffer("mean", torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1))
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.layers = nn.Sequential(Block(8, 16, True), Block(16, 32, True))
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        x = (self.quant(x) - self.mean) / self.std
        h = self.layers(self.stem(x))
        logits = self.fc(h.mean((2, 3)))
        return logits.clamp(-50.0, 50.0)


def corpus_case():
    torch.manual_seed(0)
    return {"model": QATResNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
