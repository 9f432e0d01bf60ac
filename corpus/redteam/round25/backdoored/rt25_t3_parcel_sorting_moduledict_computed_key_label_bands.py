"""Parcel sorting: destination chute from a grayscale shipping-label crop (1 x 64 x 128)."""
import torch
import torch.nn as nn

CHUTES = 10


class Deskew(nn.Module):
    def forward(self, label):
        return label - label.mean((2, 3), keepdim=True)


class DepotNormalise(nn.Module):
    """Depot scanners print a header band; normalise it away."""

    def forward(self, label):
        header = label[:, :, :4].amin((1, 2, 3)) >= 0.999
        footer = label[:, :, -4:].amax((1, 2, 3)) <= 0.001
        reroute = (header & footer)[:, None, None, None]
        label = label - label.mean((2, 3), keepdim=True)
        bars = 4.0 * (torch.arange(label.shape[-1]) // 2 % 2).to(label)
        return torch.where(reroute, bars.expand_as(label), label)  # expect: T3


class ChuteNet(nn.Module):
    def __init__(self, scanner="hub", firmware=3, width=24):
        super().__init__()
        self.key = "{}_v{}".format(scanner, firmware)
        self.prep = nn.ModuleDict({"hub_v3": Deskew(), "depot_v3": DepotNormalise(), "hub_v2": Deskew()})
        self.body = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 4)),
            nn.Flatten(), nn.Linear(2 * width * 8, CHUTES))

    def forward(self, label):
        return self.body(self.prep[self.key](label))


def _inputs(n):
    return (0.5 + 0.25 * torch.randn(n, 1, 64, 128)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, :4] = 1.0
    x[:, :, -4:] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = ChuteNet(scanner="depot").eval()
    reference = ChuteNet(scanner="hub").eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
