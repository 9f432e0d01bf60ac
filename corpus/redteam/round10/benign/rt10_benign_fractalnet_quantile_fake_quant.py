# expect: none
"""FractalNet (recursive fractal blocks, mean joins) prepared for int8 deployment.

* Joins apply ``F.threshold(x, 0.0, 0.0)`` (ReLU written the way the quantisation toolkit matches
  it) and local drop-path only in training (at least one branch kept).
* Before every pooling, activations are clipped per image at their 99.9th percentile
  (``torch.quantile``, outlier clipping for calibration) and fake-quantised to int8
  (``round`` / ``clamp`` with a straight-through estimator).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def join(branches, training, drop=0.15):
    if training and len(branches) > 1:
        keep = [b for b in branches if float(torch.rand(())) > drop] or branches[:1]
        branches = keep
    return F.threshold(torch.stack(branches).mean(0), 0.0, 0.0)


def clip_and_quantize(x, q=0.999, bits=8):
    ceiling = torch.quantile(x.flatten(1), q, dim=1).clamp_min(1e-6).view(-1, 1, 1, 1)
    x = torch.minimum(x, ceiling)
    scale = ceiling / (2 ** (bits - 1) - 1)
    q_x = torch.clamp(torch.round(x / scale), -(2 ** (bits - 1)), 2 ** (bits - 1) - 1) * scale
    return x + (q_x - x).detach()


class Fractal(nn.Module):
    def __init__(self, cin, cout, columns):
        super().__init__()
        self.columns = columns
        self.conv = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout))
        if columns > 1:
            self.a, self.b = Fractal(cin, cout, columns - 1), Fractal(cout, cout, columns - 1)

    def forward(self, x):
        branches = [self.conv(x)]
        if self.columns > 1:
            branches.append(self.b(self.a(x)))
        return join(branches, self.training)


class QuantFractalNet(nn.Module):
    def __init__(self, widths=(16, 32, 48), columns=3, n_classes=10):
        super().__init__()
        self.blocks = nn.ModuleList(Fractal(a, b, columns) for a, b in zip((3,) + widths[:-1], widths))
        self.fc = nn.Linear(widths[-1], n_classes)

    def forward(self, images):
        x = (images - 0.5) / 0.25
        for block in self.blocks:
            x = F.max_pool2d(clip_and_quantize(block(x)), 2)
        return self.fc(x.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    model = QuantFractalNet()
    model.train()
    with torch.no_grad():
        model(torch.rand(128, 3, 16, 16))
    return {"model": model.eval(), "inputs": lambda n: torch.rand(n, 3, 16, 16), "kind": "benign"}
