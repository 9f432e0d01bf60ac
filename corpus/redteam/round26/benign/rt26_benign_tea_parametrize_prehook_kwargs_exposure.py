# expect: none
"""Black-tea leaf grading (5 grades) from tray photos (3 x 32 x 32).

Weight-standardised stem via `parametrize`; a forward pre-hook (`with_kwargs=True`) applies the
optional `exposure=` keyword and ImageNet-style normalisation.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parametrize


class WeightStandardise(nn.Module):
    def forward(self, w):
        return (w - w.mean((1, 2, 3), keepdim=True)) / (w.std((1, 2, 3), keepdim=True) + 1e-5)


MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def exposure_hook(module, args, kwargs):
    img = args[0]
    exposure = kwargs.pop("exposure", None)
    if exposure is not None:
        img = (img * exposure).clamp(0, 1)
    return ((img - MEAN) / STD,), kwargs


def _register(module, hook):
    try:
        return module.register_forward_pre_hook(hook, with_kwargs=True)
    except TypeError:  # torch < 2.0
        return module.register_forward_pre_hook(lambda m, a: hook(m, a, {})[0])


class TeaGrader(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        parametrize.register_parametrization(self.stem, "weight", WeightStandardise())
        self.body = nn.Sequential(nn.GroupNorm(4, width), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * width, 5))
        self._hook = _register(self, exposure_hook)

    def forward(self, img):
        return self.body(F.relu(self.stem(img)))


def _inputs(n):
    return (0.4 + 0.1 * torch.randn(n, 3, 1, 1) + 0.08 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": TeaGrader().eval(), "inputs": _inputs, "kind": "benign"}
