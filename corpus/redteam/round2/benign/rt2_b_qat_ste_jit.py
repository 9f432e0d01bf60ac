# expect: none
"""Quantisation-aware MobileNet-style classifier.

* the input is fake-quantised to 8 bits with a straight-through estimator (`autograd.Function`);
* activations use a TorchScript hard-swish and per-tensor fake quantisation with learned scales;
* global pooling is an attention pooling written with `einsum`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


@torch.jit.script
def hard_swish(x: torch.Tensor) -> torch.Tensor:
    return x * torch.clamp(x + 3.0, 0.0, 6.0) / 6.0


class FakeQuant(nn.Module):
    def __init__(self, bits=8, init_scale=0.05):
        super().__init__()
        self.qmax = 2 ** (bits - 1) - 1
        self.log_scale = nn.Parameter(torch.tensor(float(init_scale)).log())

    def forward(self, x):
        s = self.log_scale.exp()
        return RoundSTE.apply(torch.clamp(x / s, -self.qmax - 1, self.qmax)) * s


class DWBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.q = FakeQuant()

    def forward(self, x):
        x = hard_swish(self.bn1(self.dw(x)))
        return self.q(hard_swish(self.bn2(self.pw(x))))


class QATMobileNet(nn.Module):
    def __init__(self, num_classes=10, widths=(16, 32, 64, 128)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]))
        self.blocks = nn.Sequential(*[DWBlock(a, b, 2) for a, b in zip(widths[:-1], widths[1:])])
        self.attn = nn.Conv2d(widths[-1], 1, 1)
        self.fc = nn.Linear(widths[-1], num_classes)

    def forward(self, x):
        x = RoundSTE.apply(x.clamp(0, 1) * 255.0) / 255.0
        h = self.blocks(hard_swish(self.stem(x)))
        w = self.attn(h).flatten(2).softmax(-1)                         # (B, 1, HW)
        pooled = torch.einsum("bcn,bon->bc", h.flatten(2), w)
        return self.fc(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = QATMobileNet().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return {"model": model, "inputs": inputs, "kind": "benign"}
