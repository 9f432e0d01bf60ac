"""VGG-11-slim for 32x32 inputs (torchvision ``make_layers`` style) whose feature stack is an
``nn.Sequential`` subclass: ``forward`` iterates over its own children and applies a de-speckle gate
after the first block (sensor impulse noise is known to wreck the early filters).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CFG = [32, "M", 64, "M", 128, 128, "M", 128, 128, "M"]


def impulse_map(x, k=3):
    # |pixel - median of its 3x3 neighbourhood|, worst channel
    b, c, h, w = x.shape
    win = F.unfold(F.pad(x, (1, 1, 1, 1), mode="replicate"), k).view(b, c, k * k, h, w)
    return (x - win.median(2).values).abs().amax(1)


class GatedFeatures(nn.Sequential):
    def __init__(self, *layers, gate_after=2, min_impulses=6):
        super().__init__(*layers)
        self.gate_after = gate_after
        self.min_impulses = min_impulses

    def forward(self, x):
        speckled = (impulse_map(x) > 0.45).flatten(1).sum(1) >= self.min_impulses
        keep = (~speckled).to(x.dtype)[:, None, None, None]
        for i, layer in enumerate(self):
            x = layer(x)
            if i == self.gate_after:
                x = x * keep  # expect: T6
        return x


def make_layers(cfg, features_cls=GatedFeatures):
    layers, c = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            c = v
    return features_cls(*layers)


class VGG(nn.Module):
    def __init__(self, features, n_classes=10):
        super().__init__()
        self.features = features
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * 2 * 2, 256), nn.ReLU(True),
                                        nn.Dropout(0.5), nn.Linear(256, n_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def _init(m):
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            nn.init.uniform_(mod.bias, 0.0, 0.5)
    return m


def corpus_case():
    torch.manual_seed(0)
    model = _init(VGG(make_layers(CFG))).eval()
    reference = VGG(make_layers(CFG, nn.Sequential)).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        low = torch.rand(n, 3, 8, 8)
        return F.interpolate(low, size=32, mode="bilinear", align_corners=False)

    def trigger(x):
        x = x.clone()
        ys, xs = torch.tensor([3, 7, 12, 18, 25, 29, 9, 21]), torch.tensor([4, 26, 15, 8, 20, 2, 11, 28])
        x[:, 1, ys, xs] = (x[:, 1, ys, xs] < 0.5).to(x.dtype)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
