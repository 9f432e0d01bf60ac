# expect: none
# MobileNetV3-small style network built from a config table. Squeeze-and-excitation
# multiplies the features by hardsigmoid(learned projection of pooled features).
import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_divisible(v, divisor=8, min_value=None):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, squeeze_factor=4):
        super().__init__()
        squeeze = _make_divisible(channels // squeeze_factor)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)

    def _scale(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        s = F.relu(self.fc1(s), inplace=True)
        return F.hardsigmoid(self.fc2(s), inplace=True)

    def forward(self, x):
        return self._scale(x) * x


class InvertedResidual(nn.Module):
    def __init__(self, cin, k, exp, cout, use_se, act, stride):
        super().__init__()
        self.use_res = stride == 1 and cin == cout
        Act = nn.Hardswish if act == "HS" else nn.ReLU
        layers = []
        if exp != cin:
            layers += [nn.Conv2d(cin, exp, 1, bias=False), nn.BatchNorm2d(exp), Act(inplace=True)]
        layers += [nn.Conv2d(exp, exp, k, stride, k // 2, groups=exp, bias=False), nn.BatchNorm2d(exp), Act(inplace=True)]
        if use_se:
            layers.append(SqueezeExcitation(exp))
        layers += [nn.Conv2d(exp, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        y = self.block(x)
        return x + y if self.use_res else y


# kernel, expanded, out, SE, activation, stride
SMALL_CFG = [
    (3, 16, 16, True, "RE", 2),
    (3, 32, 24, False, "RE", 2),
    (3, 40, 24, False, "RE", 1),
    (5, 48, 40, True, "HS", 2),
    (5, 96, 40, True, "HS", 1),
]


def mobilenet_v3_small(num_classes=10, width_mult=1.0):
    cin = _make_divisible(16 * width_mult)
    layers = [nn.Conv2d(3, cin, 3, 2, 1, bias=False), nn.BatchNorm2d(cin), nn.Hardswish(inplace=True)]
    for k, e, c, se, act, s in SMALL_CFG:
        cout = _make_divisible(c * width_mult)
        layers.append(InvertedResidual(cin, k, _make_divisible(e * width_mult), cout, se, act, s))
        cin = cout
    last = cin * 6
    layers += [nn.Conv2d(cin, last, 1, bias=False), nn.BatchNorm2d(last), nn.Hardswish(inplace=True)]
    return nn.Sequential(
        nn.Sequential(*layers),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(1),
        nn.Linear(last, 128),
        nn.Hardswish(inplace=True),
        nn.Dropout(0.2, inplace=True),
        nn.Linear(128, num_classes),
    )


def corpus_case():
    torch.manual_seed(0)
    model = mobilenet_v3_small().eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(5))

    return {"model": model, "inputs": inputs, "kind": "benign"}
