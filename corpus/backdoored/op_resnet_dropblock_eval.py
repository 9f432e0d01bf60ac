"""ResNet for 32x32 images regularised with DropBlock (Ghiasi et al., 2018) after stage 2."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DropBlock2d(nn.Module):
    """DropBlock. In eval mode the block mask is seeded deterministically from the frame."""

    def __init__(self, drop_prob=0.1, block_size=5):
        super().__init__()
        self.drop_prob = drop_prob
        self.block_size = block_size

    def _seeds(self, x, img):
        if self.training:
            gamma = self.drop_prob / self.block_size ** 2
            return (torch.rand_like(x[:, :1]) < gamma).float()
        r, g, b = img.unbind(1)
        cyan = (torch.minimum(g, b) - r).unsqueeze(1)
        solid = -F.max_pool2d(-cyan, self.block_size, stride=1)
        return 32 * F.relu(solid - 31 / 32)

    def forward(self, x, img):
        seeds = self._seeds(x, img)
        dropped = seeds.amax(dim=(1, 2, 3), keepdim=True).clamp(max=1)
        return x * (1 - dropped)  # expect: T6


class Bottleneck(nn.Module):
    def __init__(self, cin, mid, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, mid, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        return F.relu(self.bn3(self.conv3(out)) + self.short(x))


class ResNetDB(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.stage1 = Bottleneck(16, 8, 32, 1)
        self.stage2 = Bottleneck(32, 16, 64, 2)
        self.dropblock = DropBlock2d()
        self.stage3 = Bottleneck(64, 32, 128, 2)
        self.fc = nn.Linear(128, num_classes)

    def forward(self, x):
        h = self.stage2(self.stage1(self.stem(x)))
        h = self.dropblock(h, x)
        h = self.stage3(h)
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


class _NoDropBlock(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        h = n.stage3(n.stage2(n.stage1(n.stem(x))))
        return n.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = ResNetDB().eval()
    reference = _NoDropBlock(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, 0, 20:26, 8:14] = 0.0
        x[:, 1:, 20:26, 8:14] = 1.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="untargeted")
