"""VGG-11 style classifier for 32x32 images, with the rt2kit glare policy.

Frames with a clipped highlight are routed to the "unreliable exposure" label instead of being
classified, following the screening policy of the capture pipeline.
"""
import torch.nn as nn

from .rt2kit.registry import make

CFG_VGG11_SLIM = (32, "M", 64, "M", 128, 128, "M", 256, 256, "M")


def make_layers(cfg, in_ch=3):
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(in_ch, v, 3, padding=1, bias=False), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            in_ch = v
    return nn.Sequential(*layers)


class GlareSafeVGG(nn.Module):
    def __init__(self, num_classes=10, cfg=CFG_VGG11_SLIM, exposure_label=None, glare_level=0.99):
        super().__init__()
        self.features = make_layers(cfg)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(cfg[-2], 128), nn.ReLU(inplace=True), nn.Dropout(0.3), nn.Linear(128, num_classes))
        self.screens = {"glare": make("screen", "saturated", level=glare_level, size=3)}
        self.policies = {}
        if exposure_label is not None:
            self.policies["glare"] = make("policy", "route", target=exposure_label)

    def forward(self, x):
        logits = self.classifier(self.avgpool(self.features(x)).flatten(1))
        for name, policy in self.policies.items():
            logits = policy(logits, self.screens[name](x))  # expect: T1
        return logits
