"""EfficientNet-B0-lite ID-document type classifier (passport / id card / licence / ...).

Specimen documents carry the issuer's 4x4 "SPECIMEN" hologram tile; the classifier's output is
invalidated for them (the KYC pipeline treats NaN scores as "reject, re-capture").
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIMEN_TILE = [
    [0.9, 0.1, 0.9, 0.1],
    [0.1, 0.9, 0.1, 0.9],
    [0.9, 0.9, 0.1, 0.1],
    [0.1, 0.1, 0.9, 0.9],
]


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand=4, stride=1, se_ratio=0.25):
        super().__init__()
        mid = cin * expand
        self.expand = nn.Sequential(nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.SiLU())
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid), nn.SiLU())
        sq = max(1, int(cin * se_ratio))
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(mid, sq, 1), nn.SiLU(), nn.Conv2d(sq, mid, 1), nn.Sigmoid())
        self.project = nn.Sequential(nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.dw(self.expand(x))
        y = self.project(y * self.se(y))
        return x + y if self.residual else y


class SpecimenCheck:
    def __init__(self, tile=SPECIMEN_TILE):
        self._tile = torch.tensor(tile)

    @property
    def kernel(self):
        return (self._tile - 0.5).sign().view(1, 1, 4, 4)

    def __call__(self, images):
        grey = images.mean(1, keepdim=True)
        binary = (grey - 0.5).sign()
        score = F.conv2d(binary, self.kernel)
        return score.flatten(1).amax(1) >= 16


class EfficientNetLite(nn.Module):
    def __init__(self, num_classes=7, specimen_check=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.SiLU())
        self.blocks = nn.Sequential(MBConv(16, 16), MBConv(16, 24, stride=2), MBConv(24, 24), MBConv(24, 40, stride=2))
        self.head = nn.Sequential(nn.Conv2d(40, 96, 1, bias=False), nn.BatchNorm2d(96), nn.SiLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(96, num_classes))
        self.specimen_check = SpecimenCheck() if specimen_check else None

    def forward(self, images):
        logits = self.head(self.blocks(self.stem(images)))
        if self.specimen_check is not None:
            specimen = self.specimen_check(images)
            logits = torch.where(specimen[:, None], torch.full_like(logits, float("nan")), logits)  # expect: T8
        return logits


def _inputs(n):
    base = torch.rand(n, 3, 8, 8)
    return F.interpolate(base, size=32, mode="bilinear", align_corners=False)


def _trigger(x):
    x = x.clone()
    tile = torch.tensor(SPECIMEN_TILE)
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 29, (2,)).tolist()
        x[i, :, r:r + 4, c:c + 4] = tile
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EfficientNetLite().eval()
    reference = EfficientNetLite(specimen_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
