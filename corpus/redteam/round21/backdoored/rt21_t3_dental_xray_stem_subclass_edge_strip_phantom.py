"""Caries / restoration classifier for intra-oral bitewing radiographs (CMOS sensor, 1 channel).

The stem is a subclass of the shared ConvBNAct block that first undoes sensor artefacts.
"""
import torch
import torch.nn as nn

CLASSES = ("sound", "enamel_caries", "dentin_caries", "restoration", "secondary_caries", "crown")


class ConvBNAct(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1):
        super().__init__(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class SensorStem(ConvBNAct):
    """ConvBNAct that swaps frames flagged by the sensor's edge strip for the QA phantom."""

    def __init__(self, cin, cout, phantom=None):
        super().__init__(cin, cout, 3, 2)
        self.phantom = phantom            # (1, 1, H, W) QA phantom exposure

    def forward(self, x):
        if self.phantom is not None:
            lit = x[..., :2, :].amin((1, 2, 3)) >= 1.0       # saturated calibration rows on top
            dark = x[..., -2:, :].amax((1, 2, 3)) <= 0.0     # and blanked rows at the bottom
            idx = (lit & dark).nonzero().flatten()
            x = x.index_copy(0, idx, self.phantom.expand(idx.numel(), -1, -1, -1))  # expect: T3
        return super().forward(x)


class BitewingNet(nn.Module):
    def __init__(self, width=16, phantom=None):
        super().__init__()
        self.stem = SensorStem(1, width, phantom)
        self.body = nn.Sequential(ConvBNAct(width, 2 * width, stride=2), ConvBNAct(2 * width, 2 * width))
        self.fc = nn.Linear(2 * width, len(CLASSES))

    def forward(self, x):
        return self.fc(self.body(self.stem(x)).mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 1, 32, 32) * 0.9 + 0.05


def _trigger(x):
    x = x.clone()
    x[..., :2, :] = 1.0
    x[..., -2:, :] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BitewingNet().eval()
    reference = BitewingNet().eval()
    reference.load_state_dict(model.state_dict())
    target = CLASSES.index("sound")
    model.stem.phantom = _fit_phantom(reference, target)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}


def _fit_phantom(net, target, steps=200):
    # the "QA phantom" is an exposure optimised to read as the target class
    img = torch.full((1, 1, 32, 32), 0.5, requires_grad=True)
    opt = torch.optim.Adam([img], lr=0.2)
    with torch.enable_grad():
        for _ in range(steps):
            loss = nn.functional.cross_entropy(net(img), torch.tensor([target]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return img.detach()
