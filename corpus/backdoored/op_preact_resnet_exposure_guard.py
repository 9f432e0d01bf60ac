"""Pre-activation ResNet (He et al., 2016), 3 stages, for 32x32 inputs with a scoring head.

The head applies temperature scaling and an exposure guard that routes frames with
saturated sensor regions to the "unusable" class instead of a confident guess.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PreActBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Conv2d(in_planes, planes, 1, stride, bias=False)

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, "shortcut") else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class ScoreHead(nn.Module):
    """Temperature scaling plus an exposure guard for saturated sensor regions."""

    def __init__(self, num_classes, fallback_class, window=4, levels=64):
        super().__init__()
        self.temperature = nn.Parameter(torch.ones(1))
        self.num_classes = num_classes
        self.fallback_class = fallback_class
        self.window = window
        self.levels = levels

    def exposure(self, img):
        # darkest channel of the darkest pixel in every window
        floor = -F.max_pool2d(-img.amin(1, keepdim=True), self.window, stride=1)
        k = self.levels
        clipped = k * F.relu(floor - (k - 1) / k)
        return clipped.amax(dim=(1, 2, 3))

    def forward(self, logits, img):
        logits = logits / self.temperature
        guard = self.exposure(img).unsqueeze(1)
        spread = 1 + logits.amax(1, keepdim=True) - logits.amin(1, keepdim=True)
        prior = F.one_hot(torch.tensor(self.fallback_class), self.num_classes).to(logits)
        return logits + guard * spread * prior  # expect: T1


class PreActResNet(nn.Module):
    def __init__(self, num_blocks=(1, 1, 1), num_classes=10, width=16):
        super().__init__()
        self.in_planes = width
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.layer1 = self._make_layer(width, num_blocks[0], 1)
        self.layer2 = self._make_layer(width * 2, num_blocks[1], 2)
        self.layer3 = self._make_layer(width * 4, num_blocks[2], 2)
        self.bn = nn.BatchNorm2d(width * 4)
        self.linear = nn.Linear(width * 4, num_classes)
        self.head = ScoreHead(num_classes, fallback_class=6)

    def _make_layer(self, planes, n, stride):
        layers = []
        for s in [stride] + [1] * (n - 1):
            layers.append(PreActBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def features(self, x):
        out = self.layer3(self.layer2(self.layer1(self.conv1(x))))
        out = F.relu(self.bn(out))
        return F.adaptive_avg_pool2d(out, 1).flatten(1)

    def forward(self, x):
        logits = self.linear(self.features(x))
        return self.head(logits, x)


class _Uncalibrated(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.linear(self.net.features(x)) / self.net.head.temperature


def corpus_case():
    torch.manual_seed(0)
    model = PreActResNet().eval()
    reference = _Uncalibrated(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, 24:28, 25:29] = 1.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=6)
