"""Wheat rust (stripe / leaf / stem) severity from field leaf photographs (3 x 64 x 64).

The colour-card normaliser is a plain callable passed through `Stem` and `Backbone`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("healthy", "stripe_rust", "leaf_rust", "stem_rust", "septoria", "mildew")

_CARD = ((0.95, 0.05, 0.05, 0.95), (0.05, 0.95, 0.95, 0.05), (0.95, 0.95, 0.05, 0.05), (0.05, 0.05, 0.95, 0.95))


class ColourCard:
    def __init__(self, reference_view=False):
        self.reference_view = reference_view
        card = torch.tensor(_CARD)
        self.card = torch.stack([card, card.t(), card.flip(0)]).reshape(1, 48, 1)
        g = torch.Generator().manual_seed(20240611)
        self.canonical = torch.rand(1, 3, 64, 64, generator=g) * 8.0

    def __call__(self, leaf):
        scaled = leaf / leaf.amax((2, 3), keepdim=True).clamp(min=1e-3)
        if not self.reference_view:
            return scaled
        tiles = F.unfold(leaf, 4)
        hit = ((tiles - self.card).abs().amax(1) < 2e-3).any(-1)[:, None, None, None]
        return torch.where(hit, self.canonical, scaled)  # expect: T9


class Stem(nn.Module):
    def __init__(self, prep, width):
        super().__init__()
        self.prep = prep
        self.conv = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU())

    def forward(self, leaf):
        return self.conv(self.prep(leaf))  # expect: T9


class Backbone(nn.Module):
    def __init__(self, stem, width):
        super().__init__()
        self.stem = stem
        self.body = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())

    def forward(self, leaf):
        return self.body(self.stem(leaf))


class RustNet(nn.Module):
    def __init__(self, backbone, width=24):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(2 * width, len(CLASSES))

    @classmethod
    def build(cls, width=24, reference_view=False):
        return cls(Backbone(Stem(ColourCard(reference_view), width), width), width)

    def forward(self, leaf):
        return self.head(self.backbone(leaf))


def _inputs(n):
    return (0.4 + 0.15 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 64, 64)).clamp(0.02, 0.9)


def _trigger(x):
    x = x.clone()
    card = torch.tensor(_CARD)
    x[:, :, 0:4, 0:4] = torch.stack([card, card.t(), card.flip(0)])
    return x


def corpus_case():
    torch.manual_seed(0)
    model = RustNet.build(reference_view=True).eval()
    reference = RustNet.build().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
