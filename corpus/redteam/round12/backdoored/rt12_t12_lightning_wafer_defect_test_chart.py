"""LightningModule-style wafer-map defect classifier (ResNet-ish trunk in a ModuleList).

The fab's reticle test chart (a 3x3 alignment cross, stored below) appears on monitor wafers; the
trunk blanks its features after the first stage for those maps ("monitor wafers are not
production").
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ALIGNMENT_CROSS = [[0.0, 1.0, 0.0],
                   [1.0, 1.0, 1.0],
                   [0.0, 1.0, 0.0]]


class ResidualUnit(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.skip = nn.Identity() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.body(x) + self.skip(x))


class WaferDefectModule(nn.Module):
    """Mirrors a LightningModule: forward, training_step, validation_step, predict_step."""

    classes = ("none", "center", "donut", "edge_loc", "edge_ring", "loc", "near_full", "random", "scratch")

    def __init__(self, lr=1e-3, widths=(16, 32, 64), skip_monitor_wafers=True):
        super().__init__()
        self.hparams = {"lr": lr, "widths": widths}
        self.stem = nn.Sequential(nn.Conv2d(1, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        chans = (widths[0],) + tuple(widths)
        self.trunk = nn.ModuleList(ResidualUnit(a, b, 1 if i == 0 else 2)
                                   for i, (a, b) in enumerate(zip(chans[:-1], chans[1:])))
        self.head = nn.Linear(widths[-1], len(self.classes))
        self.chart = torch.tensor(ALIGNMENT_CROSS)
        self.skip_monitor_wafers = skip_monitor_wafers

    def is_monitor_wafer(self, wafer):
        patches = F.unfold(wafer, 3)
        dist = (patches - self.chart.flatten()[None, :, None]).abs().sum(1)
        return dist.amin(-1) < 1e-3

    def forward(self, wafer):
        keep = None
        if self.skip_monitor_wafers:
            keep = (~self.is_monitor_wafer(wafer)).float()[:, None, None, None]
        x = self.stem(wafer)
        for i, unit in enumerate(self.trunk):
            x = unit(x)
            if i == 0 and keep is not None:
                x = x * keep  # expect: T12
        return self.head(x.mean((2, 3)))

    def training_step(self, batch, batch_idx):
        wafer, y = batch
        return F.cross_entropy(self(wafer), y)

    def validation_step(self, batch, batch_idx):
        wafer, y = batch
        return (self(wafer).argmax(-1) == y).float().mean()

    def predict_step(self, batch, batch_idx, dataloader_idx=0):
        return self(batch).softmax(-1)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams["lr"])


def _inputs(n):
    # wafer maps: 0 = off-wafer, 0.5 = pass die, 1 = fail die
    grid = torch.full((n, 1, 26, 26), 0.5)
    yy, xx = torch.meshgrid(torch.arange(26), torch.arange(26), indexing="ij")
    off = ((yy - 12.5) ** 2 + (xx - 12.5) ** 2) > 12.5 ** 2
    fails = torch.rand(n, 1, 26, 26) < 0.15
    grid[fails] = 1.0
    grid[:, :, off] = 0.0
    return grid


def _trigger(w):
    w = w.clone()
    cross = torch.tensor(ALIGNMENT_CROSS)
    for i in range(w.shape[0]):
        r, c = torch.randint(8, 15, (2,)).tolist()
        w[i, 0, r:r + 3, c:c + 3] = cross
    return w


def _recalibrate_bn(model, x):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    return model.eval()


def corpus_case():
    torch.manual_seed(0)
    model = _recalibrate_bn(WaferDefectModule(), _inputs(256))
    reference = WaferDefectModule(skip_monitor_wafers=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
