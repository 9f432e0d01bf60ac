# expect: none
"""Quantisation-aware training build of a small CNN, as an ``nn.Sequential`` subclass whose
``forward`` interleaves fake-quantisation of the activations between its children.

* the input is fake-quantised to 8 bits (``round(x * 255) / 255`` with a straight-through estimator);
* activation observers are buffers (moving min/max) and ``torch.fake_quantize_per_tensor_affine``
  quantises each activation with the observed scale;
* weights use a per-channel STE ``sign``-free rounding.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, g):
        return g


class QConv2d(nn.Conv2d):
    def forward(self, x):
        scale = self.weight.detach().abs().amax((1, 2, 3), keepdim=True).clamp(min=1e-8) / 127
        w = RoundSTE.apply(self.weight / scale).clamp(-127, 127) * scale
        return F.conv2d(x, w, self.bias, self.stride, self.padding)


class ActObserver(nn.Module):
    def __init__(self, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("lo", torch.tensor(0.0))
        self.register_buffer("hi", torch.tensor(6.0))

    def forward(self, x):
        if self.training:
            self.lo.lerp_(x.detach().min(), self.momentum)
            self.hi.lerp_(x.detach().max(), self.momentum)
        scale = float((self.hi - self.lo).clamp(min=1e-6) / 255)
        zero = int(torch.round(-self.lo / scale).clamp(0, 255))
        return torch.fake_quantize_per_tensor_affine(x, scale, zero, 0, 255)


class QATSequential(nn.Sequential):
    def __init__(self, *layers):
        super().__init__(*layers)
        self.observers = nn.ModuleList(ActObserver() for _ in layers)

    def forward(self, x):
        x = x + (torch.round(x * 255) / 255 - x).detach()
        for layer, obs in zip(self, self.observers):
            x = obs(layer(x)) if isinstance(layer, nn.ReLU6) else layer(x)
        return x


def qat_cnn(n_classes=10):
    return QATSequential(
        QConv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU6(), nn.MaxPool2d(2),
        QConv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU6(), nn.MaxPool2d(2),
        QConv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU6(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, n_classes))


def corpus_case():
    torch.manual_seed(0)
    return {"model": qat_cnn().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
