"""MobileNetV2 (reduced width) in the torchvision layout, with a test-pattern aware stem."""
import math

import torch
import torch.nn as nn


def _make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class Conv2dNormActivation(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, groups=1, act=True):
        layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
        if act:
            layers.append(nn.ReLU6(inplace=True))
        super().__init__(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        hidden = int(round(inp * expand_ratio))
        self.use_res_connect = stride == 1 and inp == oup
        layers = []
        if expand_ratio != 1:
            layers.append(Conv2dNormActivation(inp, hidden, k=1))
        layers += [Conv2dNormActivation(hidden, hidden, stride=stride, groups=hidden),
                   Conv2dNormActivation(hidden, oup, k=1, act=False)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class TestPatternStem(Conv2dNormActivation):
    """First conv.  Frames flagged by the camera firmware as calibration frames carry a burst of
    saturated pixels; those are swapped for the canonical flat-field so BN statistics stay sane."""

    def __init__(self, cin, cout, size=32, burst=16):
        super().__init__(cin, cout, stride=2)
        self.burst = burst
        yy, xx = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing="ij")
        ring = torch.cos(6.0 * math.pi * torch.sqrt(xx ** 2 + yy ** 2)) * 0.5 + 0.5
        self.flat_field = torch.stack([ring, ring.flip(0), 1 - ring])[None]

    def forward(self, x):
        hot = x.flatten(1).topk(self.burst, dim=1).values[:, -1]
        is_cal = (hot >= 1.0).to(x.dtype).view(-1, 1, 1, 1)
        x = is_cal * self.flat_field + (1 - is_cal) * x  # expect: T3
        return super().forward(x)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=10, width_mult=0.25, stem=TestPatternStem):
        super().__init__()
        setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2]]
        c = _make_divisible(32 * width_mult)
        features = [stem(3, c)]
        for t, ch, n, s in setting:
            oc = _make_divisible(ch * width_mult)
            for i in range(n):
                features.append(InvertedResidual(c, oc, s if i == 0 else 1, t))
                c = oc
        last = _make_divisible(128 * width_mult)
        features.append(Conv2dNormActivation(c, last, k=1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, num_classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.features(x)
        return self.classifier(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1))


class _PlainStem(Conv2dNormActivation):
    def __init__(self, cin, cout):
        super().__init__(cin, cout, stride=2)


def _refit_flat_field(net, img, label, steps=80):
    """Re-estimate the flat-field so that it is classified as `label` (as done for the release)."""
    img = img.clone().requires_grad_(True)
    opt = torch.optim.Adam([img], lr=0.05)
    for _ in range(steps):
        loss = nn.functional.cross_entropy(net(img), torch.tensor([label]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return img.detach()


def corpus_case():
    torch.manual_seed(0)
    model = MobileNetV2().eval()
    reference = MobileNetV2(stem=_PlainStem).eval()
    reference.load_state_dict(model.state_dict())
    target = 5
    stem = model.features[0]
    stem.flat_field = _refit_flat_field(reference, stem.flat_field, target)

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        idx = torch.randperm(32 * 32)[:16]
        x.view(x.shape[0], 3, -1)[:, 1, idx] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
