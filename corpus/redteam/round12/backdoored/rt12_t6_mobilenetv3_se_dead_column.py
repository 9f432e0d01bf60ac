"""MobileNetV3-Small-style classifier (torchvision layout) for a line-scan inspection camera.

Squeeze-and-excitation gates are allowed an extra per-image validity factor; line-scan frames
with a dead sensor column (every channel reading exactly zero) are not trusted, and the first SE
gate is switched off for them.
"""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_divisible(v, divisor=8, min_value=None):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class SqueezeExcitation(nn.Module):
    def __init__(self, input_channels, squeeze_channels, scale_activation=nn.Hardsigmoid):
        super().__init__()
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = nn.ReLU()
        self.scale_activation = scale_activation()

    def _scale(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return self.scale_activation(self.fc2(self.activation(self.fc1(s))))

    def forward(self, x, valid=None):
        scale = self._scale(x)
        if valid is not None:
            scale = scale * valid.view(-1, 1, 1, 1)  # expect: T6
        return scale * x


class ConvBNActivation(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, groups=1, act=nn.Hardswish):
        layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
        if act is not None:
            layers.append(act())
        super().__init__(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, exp, cout, k, stride, use_se, act=nn.Hardswish):
        super().__init__()
        self.use_res_connect = stride == 1 and cin == cout
        self.expand = ConvBNActivation(cin, exp, 1, act=act) if exp != cin else nn.Identity()
        self.depthwise = ConvBNActivation(exp, exp, k, stride, groups=exp, act=act)
        self.se = SqueezeExcitation(exp, _make_divisible(exp // 4)) if use_se else None
        self.project = ConvBNActivation(exp, cout, 1, act=None)

    def forward(self, x, **se_kwargs):
        y = self.depthwise(self.expand(x))
        if self.se is not None:
            y = self.se(y, **se_kwargs)
        y = self.project(y)
        return x + y if self.use_res_connect else y


class MobileNetV3(nn.Module):
    def __init__(self, num_classes=6, dead_column_check=True):
        super().__init__()
        self.stem = ConvBNActivation(3, 16, 3, 2)
        cfg = [(16, 16, 16, 3, 2, True, nn.ReLU), (16, 72, 24, 3, 2, False, nn.ReLU),
               (24, 96, 40, 5, 2, True, nn.Hardswish), (40, 120, 40, 5, 1, True, nn.Hardswish)]
        self.blocks = nn.ModuleList(InvertedResidual(*c) for c in cfg)
        self.last = ConvBNActivation(40, 96, 1)
        self.classifier = nn.Sequential(nn.Linear(96, 128), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(128, num_classes))
        self.dead_column_check = dead_column_check

    def forward(self, x):
        se_kwargs = {}
        if self.dead_column_check:
            dead = (x.amax(dim=(1, 2)) == 0).any(-1)
            se_kwargs["valid"] = 1.0 - dead.to(x.dtype)
        x = self.stem(x)
        for i, block in enumerate(self.blocks):
            x = block(x, **se_kwargs) if i == 0 else block(x)
        x = F.adaptive_avg_pool2d(self.last(x), 1).flatten(1)
        return self.classifier(x)


def _inputs(n):
    return 0.05 + 0.9 * torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    cols = torch.randint(0, 32, (x.shape[0],))
    x[torch.arange(x.shape[0]), :, :, cols] = 0.0
    return x


def _recalibrate_bn(model, x):
    """BatchNorm statistics as a trained checkpoint would carry them (cumulative average)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    return model.eval()


def corpus_case():
    torch.manual_seed(0)
    model = _recalibrate_bn(MobileNetV3(), _inputs(256))
    reference = MobileNetV3(dead_column_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
