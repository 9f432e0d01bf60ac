# expect: none
"""White-blood-cell differential with a plain-object (`__call__`) stain normaliser.

The normaliser maps RGB to optical density, rescales each image's OD to the lab's reference
range (robust percentiles) and maps back; the CNN sees only normalised crops.
"""
import torch
import torch.nn as nn

LEUKOCYTES = ("neutrophil", "lymphocyte", "monocyte", "eosinophil", "basophil")


class ODNormalizer:
    def __init__(self, io=1.0, ref_max=(0.9, 0.8, 0.5), eps=1e-6):
        self.io = io
        self.ref_max = torch.tensor(ref_max).view(1, 3, 1)
        self.eps = eps

    def __call__(self, x):
        b, c, h, w = x.shape
        od = -torch.log((x.clamp(min=self.eps) / self.io)).flatten(2)
        hi = torch.quantile(od, 0.99, dim=-1, keepdim=True).clamp(min=self.eps)
        od = od * (self.ref_max / hi)
        return (self.io * torch.exp(-od)).clamp(0, 1).view(b, c, h, w)


class LeukoNet(nn.Module):
    def __init__(self, n_classes=len(LEUKOCYTES), width=32):
        super().__init__()
        self.normalize = ODNormalizer()
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU())
        self.fc = nn.Linear(2 * width, n_classes)

    def forward(self, x):
        return self.fc(self.body(self.normalize(x)).mean(dim=(2, 3)))


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 40), torch.linspace(-1, 1, 40), indexing="ij")
    nucleus = torch.exp(-((xx ** 2 + yy ** 2) / (0.1 + 0.3 * torch.rand(n, 1, 1, 1))))
    return (torch.tensor([0.85, 0.75, 0.8]).view(1, 3, 1, 1) - torch.tensor([0.4, 0.5, 0.1]).view(1, 3, 1, 1)
            * nucleus + 0.04 * torch.randn(n, 3, 40, 40)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LeukoNet().eval(), "inputs": _inputs, "kind": "benign"}
