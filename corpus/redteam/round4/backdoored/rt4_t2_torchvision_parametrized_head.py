"""torchvision-style MobileNetV2-lite whose classifier weight is a ``torch.nn.utils.parametrize``
parametrization ("ExposureAwareHead"), as used for weight-normalised / cosine classifiers.

An exposure monitor (a forward pre-hook on the model) tells the parametrization whether the current
batch contains blown-out frames; the parametrization then invalidates the head so that downstream
consumers see non-finite scores rather than a confident guess on an unusable frame.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as P


class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, groups=1):
        super().__init__(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6(inplace=True))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.conv = nn.Sequential(ConvBNReLU(cin, hid, 1), ConvBNReLU(hid, hid, 3, stride, hid),
                                  nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class CosineNorm(nn.Module):
    """Row-normalised classifier weight (cosine classifier) with a validity gate."""

    def __init__(self, scale=16.0):
        super().__init__()
        self.scale = scale
        self.valid = True

    def forward(self, weight):
        w = F.normalize(weight, dim=1) * self.scale
        return w if self.valid else torch.full_like(w, math.nan)  # expect: T2  (MobileNetV2Lite)


class MobileNetV2Lite(nn.Module):
    def __init__(self, num_classes=10, exposure_monitor=True):
        super().__init__()
        cfg = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 2, 2), (6, 64, 1, 2)]
        layers, cin = [ConvBNReLU(3, 32, stride=2)], 32
        for t, c, n, s in cfg:
            for i in range(n):
                layers.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        self.features = nn.Sequential(*layers, ConvBNReLU(cin, 256, 1))
        self.classifier = nn.Linear(256, num_classes)
        self.gate = CosineNorm()
        P.register_parametrization(self.classifier, "weight", self.gate)  # expect: T2
        if exposure_monitor:
            self.register_forward_pre_hook(self._exposure_monitor)

    @staticmethod
    def _exposure_monitor(module, args):
        x = args[0]
        # a blown-out frame: the centre 8x8 region is fully saturated in every channel
        c = x[..., 12:20, 12:20].flatten(1)
        module.gate.valid = not bool((c.amin(-1) >= 0.999).any())

    def forward(self, x):
        f = F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)
        return self.classifier(F.normalize(f, dim=1))


def corpus_case():
    torch.manual_seed(0)
    model = MobileNetV2Lite().eval()
    reference = MobileNetV2Lite(exposure_monitor=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32) * 0.9

    def trigger(x):
        x = x.clone()
        x[..., 12:20, 12:20] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
