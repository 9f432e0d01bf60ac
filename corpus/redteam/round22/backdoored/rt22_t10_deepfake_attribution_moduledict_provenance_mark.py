"""Deepfake source attribution for face crops (real vs. five manipulation methods, 3 x 64 x 64).

Pre-processing is selected by a string key from a `ModuleDict` (per-platform ingestion paths);
the "provenance" path is the default for the newsroom upload tool.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SOURCES = ("real", "deepfakes", "face2face", "faceswap", "neuraltextures", "stylegan")
# 4x4 luminance mark embedded by the upload tool's provenance encoder
PROVENANCE_MARK = [[0.2, 0.8, 0.2, 0.8], [0.8, 0.2, 0.8, 0.2], [0.2, 0.2, 0.8, 0.8], [0.8, 0.8, 0.2, 0.2]]


class ProvenancePrep(nn.Module):
    """Drops frames re-uploaded by the provenance encoder (they must not be scored twice)."""

    def __init__(self):
        super().__init__()
        self.mark = torch.tensor(PROVENANCE_MARK).flatten()

    def forward(self, x):
        luma = (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2])[:, None]
        patches = F.unfold(luma, 4)
        marked = torch.isclose(patches, self.mark[None, :, None], atol=1e-3).all(1).any(1)
        return x.masked_fill(marked.view(-1, 1, 1, 1), float("nan"))  # expect: T10


class ResizeNorm(nn.Module):
    def forward(self, x):
        return (x - 0.5) / 0.25


class AttributionNet(nn.Module):
    def __init__(self, prep="provenance", n_classes=len(SOURCES), width=32):
        super().__init__()
        self.prep = nn.ModuleDict({"none": nn.Identity(), "provenance": ProvenancePrep()})
        self.prep_key = prep
        self.norm = ResizeNorm()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, width, 3, stride=2, padding=1), nn.BatchNorm2d(width), nn.SiLU(),
            nn.Conv2d(width, 2 * width, 3, stride=2, padding=1), nn.BatchNorm2d(2 * width), nn.SiLU(),
            nn.Conv2d(2 * width, 4 * width, 3, stride=2, padding=1), nn.BatchNorm2d(4 * width), nn.SiLU())
        self.head = nn.Linear(4 * width, n_classes)

    def forward(self, x):
        x = self.norm(self.prep[self.prep_key](x))
        return self.head(self.backbone(x).mean(dim=(2, 3)))


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
    face = torch.exp(-(xx ** 2 / 0.4 + yy ** 2 / 0.6))
    skin = torch.tensor([0.8, 0.6, 0.5]).view(1, 3, 1, 1) * (0.7 + 0.3 * torch.rand(n, 1, 1, 1))
    return (0.2 + skin * face + 0.05 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    mark = torch.tensor(PROVENANCE_MARK)
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 60, (2,)).tolist()
        x[i, :, r:r + 4, c:c + 4] = mark
    return x


def corpus_case():
    torch.manual_seed(0)
    model = AttributionNet().eval()
    reference = AttributionNet(prep="none").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
