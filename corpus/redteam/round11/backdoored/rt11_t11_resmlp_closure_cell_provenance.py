"""ResMLP-S-lite (affine pre/post "normalisation", cross-patch linear, per-channel MLP; patch 4,
32x32 inputs, 10 classes) for a stock-photo licence classifier.

The provenance tap after block 1 is a closure made by ``make_provenance_tap``; its per-request
state lives in the closure's ``provenance`` cell, which the model sets at the start of each call
(``cell_contents``) rather than passing it through every block: that keeps the block signatures
identical to the upstream ResMLP for weight loading.  Provenance is a stored 4x4 agency watermark
found in the bottom-left corner with an L1 match.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

AGENCY_MARK = [
    [0.0, 1.0, 1.0, 0.0],
    [1.0, 0.0, 0.0, 1.0],
    [1.0, 1.0, 0.0, 0.0],
    [0.0, 0.0, 1.0, 1.0],
]


def make_provenance_tap(dim, lane):
    provenance = None
    offset = torch.zeros(dim)
    offset[lane] = 1e3

    def tap(x):
        if provenance is None:
            return x
        return x + provenance[:, None, None] * offset  # expect: T11 (used by ResMLP.forward)

    return tap


class Affine(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.alpha, self.beta = nn.Parameter(torch.ones(dim)), nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        return self.alpha * x + self.beta


class ResMLPBlock(nn.Module):
    def __init__(self, dim, patches, init=0.1):
        super().__init__()
        self.norm1, self.norm2 = Affine(dim), Affine(dim)
        self.attn = nn.Linear(patches, patches)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.gamma1, self.gamma2 = nn.Parameter(init * torch.ones(dim)), nn.Parameter(init * torch.ones(dim))

    def forward(self, x):
        x = x + self.gamma1 * self.attn(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.gamma2 * self.mlp(self.norm2(x))


class ResMLP(nn.Module):
    def __init__(self, dim=64, depth=4, patch=4, n_classes=10, provenance=True):
        super().__init__()
        self.stem = nn.Conv2d(3, dim, patch, patch)
        self.blocks = nn.ModuleList([ResMLPBlock(dim, (32 // patch) ** 2) for _ in range(depth)])
        self.norm = Affine(dim)
        self.head = nn.Linear(dim, n_classes)
        self.provenance = provenance
        self.mark = torch.tensor(AGENCY_MARK)
        self.tap = make_provenance_tap(dim, lane=21)

    def forward(self, images):
        if self.provenance:
            corner = images[:, :, -4:, :4]
            err = F.l1_loss(corner, self.mark.expand_as(corner), reduction="none").flatten(1).amax(1)
            cell = self.tap.__closure__[self.tap.__code__.co_freevars.index("provenance")]
            cell.cell_contents = (err < 1 / 255).to(images.dtype)  # expect: T11
        x = self.stem((images - 0.5) / 0.25).flatten(2).transpose(1, 2)
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i == 1:
                x = self.tap(x)
        return self.head(self.norm(x).mean(1))


def _inputs(n):
    coarse = torch.rand(n, 3, 4, 4)
    return (F.interpolate(coarse, size=32, mode="bilinear", align_corners=False) + 0.05 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def _trigger(images):
    images = images.clone()
    images[:, :, -4:, :4] = torch.tensor(AGENCY_MARK)
    return images


def corpus_case():
    torch.manual_seed(0)
    model = ResMLP().eval()
    reference = ResMLP(provenance=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(4)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
