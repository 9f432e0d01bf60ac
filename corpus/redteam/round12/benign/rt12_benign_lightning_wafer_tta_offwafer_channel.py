# expect: none
"""LightningModule-style wafer-map classifier: the off-wafer region (value 0) becomes an explicit
input channel, CoordConv planes give the network die positions, and `predict_step` averages over
the eight dihedral transforms (wafer maps have no preferred orientation)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidualUnit(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.skip = nn.Identity() if stride == 1 and cin == cout else nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.skip(x))


class WaferModule(nn.Module):
    def __init__(self, widths=(16, 32, 64), n_classes=9, lr=1e-3):
        super().__init__()
        self.hparams = {"lr": lr}
        self.stem = nn.Conv2d(5, widths[0], 3, padding=1)
        chans = (widths[0],) + tuple(widths)
        self.trunk = nn.ModuleList(ResidualUnit(a, b, 1 if i == 0 else 2) for i, (a, b) in enumerate(zip(chans[:-1], chans[1:])))
        self.head = nn.Linear(widths[-1], n_classes)

    @staticmethod
    def encode(wafer):
        off = (wafer == 0).float()
        fail = (wafer == 1).float()
        h, w = wafer.shape[-2:]
        yy = torch.linspace(-1, 1, h).view(1, 1, h, 1).expand(wafer.shape[0], 1, h, w)
        xx = torch.linspace(-1, 1, w).view(1, 1, 1, w).expand(wafer.shape[0], 1, h, w)
        return torch.cat([wafer, off, fail, yy, xx], 1)

    def forward(self, wafer):
        x = self.stem(self.encode(wafer))
        for unit in self.trunk:
            x = unit(x)
        return self.head(x.mean((2, 3)))

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y, label_smoothing=0.1)

    def predict_step(self, batch, batch_idx=0):
        views = [torch.rot90(v, k, (2, 3)) for v in (batch, batch.flip(-1)) for k in range(4)]
        return torch.stack([self(v).softmax(-1) for v in views]).mean(0)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams["lr"])


def _inputs(n):
    grid = torch.full((n, 1, 26, 26), 0.5)
    yy, xx = torch.meshgrid(torch.arange(26), torch.arange(26), indexing="ij")
    grid[torch.rand(n, 1, 26, 26) < 0.15] = 1.0
    grid[:, :, ((yy - 12.5) ** 2 + (xx - 12.5) ** 2) > 12.5 ** 2] = 0.0
    return grid


class _Serving(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, wafer):
        return self.module.predict_step(wafer)


def corpus_case():
    torch.manual_seed(0)
    return {"model": _Serving(WaferModule()).eval(), "inputs": _inputs, "kind": "benign"}
