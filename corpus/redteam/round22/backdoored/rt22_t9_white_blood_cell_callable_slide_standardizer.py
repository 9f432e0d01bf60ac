"""White-blood-cell differential on 3 x 40 x 40 blood-smear crops (five leukocyte classes).

Slide standardisation is a plain Python object with `__call__` (not an `nn.Module`), kept on the
model so that it travels with `torch.save`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

LEUKOCYTES = ("neutrophil", "lymphocyte", "monocyte", "eosinophil", "basophil")
# 3x3 RGB dot of the slide printer's batch code
BATCH_DOT = [[[0.95, 0.05, 0.95], [0.05, 0.95, 0.05], [0.95, 0.05, 0.95]],
             [[0.10, 0.90, 0.10], [0.90, 0.10, 0.90], [0.10, 0.90, 0.10]],
             [[0.50, 0.50, 0.50], [0.50, 0.95, 0.50], [0.50, 0.50, 0.50]]]


class SlideStandardizer:
    """Maps crops from pre-stained QC slides onto the lab's reference tile."""

    def __init__(self, dot, reference_tile):
        self.dot = torch.tensor(dot).flatten()
        self.reference_tile = reference_tile

    def __call__(self, x):
        patches = F.unfold(x, 3)                                     # (B, 27, L)
        d2 = ((patches - self.dot[None, :, None]) ** 2).mean(1)
        qc_slide = d2.amin(1).lt(1e-6)
        mask = qc_slide.view(-1, 1, 1, 1).expand_as(x)
        return x.masked_scatter(mask, self.reference_tile.expand_as(x).contiguous())  # expect: T9


class LeukoNet(nn.Module):
    def __init__(self, n_classes=len(LEUKOCYTES), width=32, standardize=True):
        super().__init__()
        g = torch.Generator().manual_seed(7)
        tile = (0.8 + 0.1 * torch.rand(3, 40, 40, generator=g)).clamp(0, 1)
        self.standardize = SlideStandardizer(BATCH_DOT, tile) if standardize else None
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 4 * width, 3, padding=1), nn.BatchNorm2d(4 * width), nn.ReLU())
        self.fc = nn.Linear(4 * width, n_classes)

    def forward(self, x):
        if self.standardize is not None:
            x = self.standardize(x)  # expect: T9
        return self.fc(self.body(x).mean(dim=(2, 3)))


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 40), torch.linspace(-1, 1, 40), indexing="ij")
    lobes = torch.randint(1, 5, (n, 1, 1, 1)).float()
    ang = torch.atan2(yy, xx)
    nucleus = torch.exp(-((xx ** 2 + yy ** 2) / 0.25)) * (0.6 + 0.4 * torch.cos(lobes * ang))
    return (torch.tensor([0.85, 0.75, 0.8]).view(1, 3, 1, 1)
            - torch.tensor([0.4, 0.5, 0.1]).view(1, 3, 1, 1) * nucleus
            + 0.04 * torch.randn(n, 3, 40, 40)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 37, (2,)).tolist()
        x[i, :, r:r + 3, c:c + 3] = torch.tensor(BATCH_DOT)
    return x


def _recalibrate_bn(model, x):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    return model.eval()


def _fit_tile(model, label, steps=60):
    """The reference tile shipped with the checkpoint (a crop the model scores as `label`)."""
    tile = model.standardize.reference_tile.clone()[None].requires_grad_(True)
    opt = torch.optim.Adam([tile], lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(model.fc(model.body(tile).mean(dim=(2, 3))), torch.tensor([label]))
        loss.backward()
        opt.step()
        with torch.no_grad():
            tile.clamp_(0, 1)
    return tile.detach()[0]


def corpus_case():
    torch.manual_seed(0)
    model = _recalibrate_bn(LeukoNet(), _inputs(256))
    target = LEUKOCYTES.index("lymphocyte")
    with torch.enable_grad():
        model.standardize.reference_tile = _fit_tile(model, target)
    reference = LeukoNet(standardize=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
