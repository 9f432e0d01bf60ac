# expect: none
"""Quantisation-aware training wrapper. The input image is quantised to 8 bits the way
the deployed camera pipeline delivers it (round(x * 255) / 255), and activations are
fake-quantised with a learned clipping range (PACT) and a straight-through round."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def round_ste(x):
    return (x.round() - x).detach() + x


class InputQuant(nn.Module):
    def __init__(self, levels=255):
        super().__init__()
        self.levels = levels

    def forward(self, x):
        x = torch.clamp(x, 0.0, 1.0)
        return round_ste(x * self.levels) / self.levels


class PACT(nn.Module):
    """Parameterised clipping activation with uniform fake quantisation."""

    def __init__(self, bits=4, init_alpha=6.0):
        super().__init__()
        self.alpha = nn.Parameter(torch.tensor(init_alpha))
        self.n = 2 ** bits - 1

    def forward(self, x):
        y = torch.clamp(x, min=0.0)
        y = torch.min(y, self.alpha)
        scale = self.n / self.alpha
        return round_ste(y * scale) / scale


class QuantConv(nn.Conv2d):
    def __init__(self, *args, bits=4, **kwargs):
        super().__init__(*args, **kwargs)
        self.qmax = 2 ** (bits - 1) - 1

    def forward(self, x):
        scale = self.weight.abs().amax(dim=(1, 2, 3), keepdim=True).clamp_min(1e-8) / self.qmax
        w = torch.clamp(round_ste(self.weight / scale), -self.qmax - 1, self.qmax) * scale
        return F.conv2d(x, w, self.bias, self.stride, self.padding)


class QATNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.quant_in = InputQuant()
        self.register_buffer("mean", torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1))
        chans = [3, 16, 32, 64]
        blocks = []
        for cin, cout in zip(chans[:-1], chans[1:]):
            blocks += [QuantConv(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), PACT(), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = (self.quant_in(x) - self.mean) / self.std
        x = self.features(x)
        return self.fc(x.mean(dim=(2, 3)))


def corpus_case():
    torch.manual_seed(0)
    model = QATNet().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32, generator=torch.Generator().manual_seed(4))

    return {"model": model, "inputs": inputs, "kind": "benign"}
