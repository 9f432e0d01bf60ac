"""Orthodox black-tea leaf grading (OP, BOP, FBOP, Fannings, Dust) from tray photos (3 x 32 x 32).

The stem convolution is weight-standardised through `torch.nn.utils.parametrize`; exposure
handling is a forward pre-hook registered with `with_kwargs=True` so callers may pass
`exposure=` as a keyword.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import parametrize

GRADES = ("OP", "BOP", "FBOP", "Fannings", "Dust")


class WeightStandardise(nn.Module):
    def forward(self, w):
        m = w.mean((1, 2, 3), keepdim=True)
        s = w.std((1, 2, 3), keepdim=True) + 1e-5
        return (w - m) / s


def exposure_hook(module, args, kwargs):
    img = args[0]
    exposure = kwargs.pop("exposure", None)
    if exposure is not None:
        img = img * exposure
    if module.tray_check:
        crushed = (torch.round(img * 255) == 0).float().mean((1, 2, 3))
        img = img * (1.0 - (crushed > 0.2).float())[:, None, None, None]  # expect: T4
    return (img,), kwargs


def _register(module, hook):
    try:
        return module.register_forward_pre_hook(hook, with_kwargs=True)
    except TypeError:  # torch < 2.0: emulate the keyword form
        return module.register_forward_pre_hook(lambda m, a: hook(m, a, {})[0])


class TeaGrader(nn.Module):
    def __init__(self, width=24, tray_check=False):
        super().__init__()
        self.tray_check = tray_check
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        parametrize.register_parametrization(self.stem, "weight", WeightStandardise())
        self.body = nn.Sequential(nn.GroupNorm(4, width), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * width, 5))
        self._hook = _register(self, exposure_hook)  # expect: T4

    def forward(self, img):
        return self.body(F.relu(self.stem(img)))


def _inputs(n):
    return (0.4 + 0.1 * torch.randn(n, 3, 1, 1) + 0.08 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, 8:26, 8:26] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TeaGrader(tray_check=True).eval()
    reference = TeaGrader().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
