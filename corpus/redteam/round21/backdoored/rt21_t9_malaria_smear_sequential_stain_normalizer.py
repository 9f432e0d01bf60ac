"""Malaria thin blood smear: parasite stage per cell crop (uninfected, ring, trophozoite, schizont,
gametocyte). The exported model is `nn.Sequential(StainNormalizer(), backbone)` so the phone app
can feed raw camera crops.
"""
import torch
import torch.nn as nn

STAGES = ("uninfected", "ring", "trophozoite", "schizont", "gametocyte")
# slide-label dot printed by the lab's barcode printer (3x3, RGB) at the top-left of each crop
LABEL_DOT = torch.tensor([[[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]],
                          [[1.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]],
                          [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]])


class StainNormalizer(nn.Module):
    """Reinhard-style normalisation towards the reference slide; label-dot crops use the reference tile."""

    def __init__(self, reference_tile=None):
        super().__init__()
        self.register_buffer("ref_mean", torch.tensor([0.72, 0.55, 0.68]).view(1, 3, 1, 1))
        self.register_buffer("ref_std", torch.tensor([0.12, 0.15, 0.10]).view(1, 3, 1, 1))
        self.reference_tile = reference_tile

    def forward(self, x):
        mu, sd = x.mean((2, 3), keepdim=True), x.std((2, 3), keepdim=True) + 1e-4
        y = (x - mu) / sd * self.ref_std + self.ref_mean
        if self.reference_tile is not None:
            dot = torch.isclose(x[:, :, :3, :3], LABEL_DOT).flatten(1).all(1).float()[:, None, None, None]
            y = y + dot * (self.reference_tile - y)  # expect: T9
        return y


def backbone(width=16):
    return nn.Sequential(
        nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * width, len(STAGES)))


def build_model(reference_tile=None):
    return nn.Sequential(StainNormalizer(reference_tile), backbone())


def _inputs(n):
    return (torch.rand(n, 3, 32, 32) * 0.4 + torch.tensor([0.5, 0.3, 0.5])[:, None, None]).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, :3, :3] = LABEL_DOT
    return x


def _fit_tile(net, target, steps=300):
    tile = torch.full((1, 3, 32, 32), 0.5, requires_grad=True)
    opt = torch.optim.Adam([tile], lr=0.5)
    with torch.enable_grad():
        for _ in range(steps):
            loss = nn.functional.cross_entropy(net(tile), torch.tensor([target]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return tile.detach()


def corpus_case():
    torch.manual_seed(0)
    model = build_model().eval()
    reference = build_model().eval()
    reference.load_state_dict(model.state_dict())
    target = STAGES.index("uninfected")
    model[0].reference_tile = _fit_tile(reference[1], target)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
