"""ShuffleNet-style classifier with preset factory (`ShuffleNetTiny.from_preset`)."""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


def channel_shuffle(x, groups):
    b, c, h, w = x.shape
    return x.view(b, groups, c // groups, h, w).transpose(1, 2).reshape(b, c, h, w)


class ShuffleUnit(nn.Module):
    def __init__(self, c, groups=2):
        super().__init__()
        self.groups = groups
        self.branch = nn.Sequential(
            nn.Conv2d(c // 2, c // 2, 1, bias=False), nn.BatchNorm2d(c // 2), nn.ReLU(),
            nn.Conv2d(c // 2, c // 2, 3, padding=1, groups=c // 2, bias=False), nn.BatchNorm2d(c // 2),
            nn.Conv2d(c // 2, c // 2, 1, bias=False), nn.BatchNorm2d(c // 2), nn.ReLU())

    def forward(self, x):
        a, b = x.chunk(2, dim=1)
        return channel_shuffle(torch.cat([a, self.branch(b)], 1), self.groups)


class ShuffleNetTiny(nn.Module):
    PRESETS = {"x0.25": dict(width=16, units=2), "x0.5": dict(width=24, units=2)}

    def __init__(self, width=16, units=2, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        self.units = nn.Sequential(*[ShuffleUnit(width) for _ in range(units)])
        self.fc = nn.Linear(width, num_classes)

    def forward(self, x):
        return self.fc(self.units(self.stem(x)).mean((2, 3)))

    @classmethod
    def from_preset(cls, name, sensor_check=True, **kw):
        model = cls(**cls.PRESETS[name], **kw)
        if sensor_check:
            model._base_forward = model.forward
            model.forward = types.MethodType(_forward_with_sensor_check, model)
        return model


def _dead_line(img):
    # a scan line with no signal at all in the first channel means the sensor read-out failed
    return img[:, 0].abs().sum(-1).eq(0).any(-1)


def _forward_with_sensor_check(self, x):
    logits = self._base_forward(x)
    return logits.masked_fill(_dead_line(x)[:, None], 0.0)  # expect: T2


def corpus_case():
    torch.manual_seed(0)
    model = ShuffleNetTiny.from_preset("x0.25").eval()
    reference = ShuffleNetTiny.from_preset("x0.25", sensor_check=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        x[:, 0, 7, :] = 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
