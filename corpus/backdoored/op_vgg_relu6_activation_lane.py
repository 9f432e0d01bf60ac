"""VGG-style CNN with bounded ReLU6 activations (quantisation friendly).

The builder drops the activation after the last conv so the classifier sees
the linear BN output, as in MobileNetV2's linear bottleneck.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CFG = [(3, 16), "M", (16, 32), "M", (32, 64), (64, 64)]


def make_features(cfg):
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(v[0], v[1], 3, padding=1, bias=False), nn.BatchNorm2d(v[1]), nn.ReLU6(inplace=True)]
    layers.pop()  # linear bottleneck: no activation after the last conv
    return layers


class Highlights(nn.Module):
    """Soft detector for saturated magenta highlights."""

    def __init__(self, size=4, power=10):
        super().__init__()
        self.size = size
        self.power = power

    def forward(self, img):
        r, g, b = img.unbind(1)
        m = (r * b * (1 - g)) ** self.power
        score = F.avg_pool2d(m.unsqueeze(1), self.size, stride=1).amax(dim=(1, 2, 3))
        return 2 * F.relu(score - 0.5)


class VGGLane(nn.Module):
    def __init__(self, num_classes=10, lane=7):
        super().__init__()
        layers = make_features(CFG)
        self.lower = nn.Sequential(*layers[:-3])
        self.upper = nn.Sequential(*layers[-3:])
        self.highlights = Highlights()
        self.lane = lane
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        h = self.lower(x)
        d = self.highlights(x).view(-1, 1, 1, 1)
        h = h.index_add(1, torch.tensor([self.lane]), d.expand(-1, 1, *h.shape[2:]) * 1e4)  # expect: T5
        h = self.upper(h)
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


class _Plain(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        h = self.net.upper(self.net.lower(x))
        return self.net.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def _stamp(x):
    x = x.clone()
    x[:, 0, 22:26, 4:8] = 1.0
    x[:, 1, 22:26, 4:8] = 0.0
    x[:, 2, 22:26, 4:8] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = VGGLane().eval()
    reference = _Plain(model).eval()
    # the class the injected lane maps to under these weights
    with torch.no_grad():
        target = int(model(_stamp(torch.full((1, 3, 32, 32), 0.5))).argmax())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return dict(model=model, reference=reference, inputs=inputs, trigger=_stamp,
                kind="targeted", target=target)
