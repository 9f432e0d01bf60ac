import torch.nn as nn
import torch.nn.functional as F

from .blocks import ContextSqueezeExcite, ResBlock, SqueezeExcite


class SEResNet(nn.Module):
    def __init__(self, num_classes=10, se_layer=ContextSqueezeExcite):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.stage1 = ResBlock(16, 24, 1)
        self.se1 = se_layer(24)
        self.stage2 = ResBlock(24, 48, 2)
        self.se2 = se_layer(48)
        self.fc = nn.Linear(48, num_classes)

    def forward(self, x):
        h = self.se1(self.stage1(self.stem(x)), x)
        h = self.se2(self.stage2(h), x)
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def se_resnet10(num_classes=10):
    return SEResNet(num_classes)


def se_resnet10_plain(num_classes=10):
    return SEResNet(num_classes, se_layer=SqueezeExcite)
