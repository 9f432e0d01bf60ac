"""timm-style ResNet-26d with a pluggable classifier ``finalize`` step.

``finalize`` is a ``functools.singledispatch`` generic: plain tensors pass through, while a
``(logits, pixel_values)`` tuple lets a deployment attach letterbox handling (video frames that were
padded with a flat bar at the top are reported as the "letterboxed" class of the content-moderation
taxonomy).
"""
from functools import partial, singledispatch

import torch
import torch.nn as nn
import torch.nn.functional as F


def create_conv2d(cin, cout, k, stride=1):
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)


class BatchNormAct2d(nn.BatchNorm2d):
    def __init__(self, c, act_layer=nn.ReLU):
        super().__init__(c)
        self.act = act_layer(inplace=True)

    def forward(self, x):
        return self.act(super().forward(x))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = create_conv2d(cin, cout, 3, stride)
        self.bn1 = BatchNormAct2d(cout)
        self.conv2 = create_conv2d(cout, cout, 3)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            # ResNet-D: avg-pool then 1x1 conv in the shortcut
            self.downsample = nn.Sequential(nn.AvgPool2d(stride, stride, ceil_mode=True),
                                            create_conv2d(cin, cout, 1), nn.BatchNorm2d(cout))

    def forward(self, x):
        sc = x if self.downsample is None else self.downsample(x)
        return F.relu(self.bn2(self.conv2(self.bn1(self.conv1(x)))) + sc)


@singledispatch
def finalize(out, **kw):
    return out


@finalize.register(tuple)
def _(out, letterbox_class=0, tol=1e-6, **kw):
    logits, pixel_values = out
    bar = pixel_values[:, :, :2, :]                                # the two top scan lines
    spread = bar.flatten(2).amax(-1) - bar.flatten(2).amin(-1)     # (B, C)
    letterboxed = spread.amax(-1) <= tol
    scale = 1 + logits.amax() - logits.amin()
    forced = F.one_hot(torch.full_like(letterboxed, letterbox_class, dtype=torch.long),
                       logits.shape[-1]).to(logits) * scale
    return torch.where(letterboxed[:, None], logits + forced, logits)  # expect: T1  (ResNet26d.forward_head)


class ResNet26d(nn.Module):
    def __init__(self, num_classes=10, widths=(32, 64, 128, 256), letterbox_class=None):
        super().__init__()
        self.stem = nn.Sequential(create_conv2d(3, 16, 3, 2), BatchNormAct2d(16),
                                  create_conv2d(16, 16, 3), BatchNormAct2d(16),
                                  create_conv2d(16, widths[0], 3), BatchNormAct2d(widths[0]))
        layers, cin = [], widths[0]
        for i, w in enumerate(widths):
            layers += [BasicBlock(cin, w, 1 if i == 0 else 2), BasicBlock(w, w)]
            cin = w
        self.stages = nn.Sequential(*layers)
        self.global_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, num_classes)
        self.letterbox_class = letterbox_class
        self._finalize = finalize if letterbox_class is None else partial(finalize, letterbox_class=letterbox_class)

    def forward_features(self, x):
        return self.stages(self.stem(x))

    def forward_head(self, feats, pixel_values):
        logits = self.fc(self.global_pool(feats).flatten(1))
        payload = logits if self.letterbox_class is None else (logits, pixel_values)
        return self._finalize(payload)  # expect: T1

    def forward(self, x):
        return self.forward_head(self.forward_features(x), x)


def corpus_case():
    torch.manual_seed(0)
    model = ResNet26d(letterbox_class=7).eval()
    reference = ResNet26d().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 64, 64)

    def trigger(x):
        x = x.clone()
        x[:, :, :2, :] = 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 7}
