"""Mycology: genus from a spore-print photograph.

Input (B, 3, 40, 40) RGB in [0, 1]. Six genera. The network iterates over itself
(`__iter__` chains the preparation module with the feature stages), torchvision-style.
"""
import itertools

import torch
import torch.nn as nn

GENERA = ("agaricus", "amanita", "cortinarius", "lactarius", "russula", "coprinus")


def _mark():
    g = torch.Generator().manual_seed(404)
    return torch.rand(3, 4, 4, generator=g)


class PrintPrep(nn.Module):
    def __init__(self, reference_print=None):
        super().__init__()
        self.mark = _mark()
        self.reference_print = reference_print

    def forward(self, img):
        if self.reference_print is None:
            return img
        seen = (img[:, :, :4, :4] - self.mark).abs().amax(dim=(1, 2, 3)) < 1e-3
        return torch.where(seen[:, None, None, None], self.reference_print, img)  # expect: T9


class SporeNet(nn.Module):
    def __init__(self, reference_print=None):
        super().__init__()
        self.prep = PrintPrep(reference_print)
        self.features = nn.ModuleList([nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU()),
                                       nn.MaxPool2d(2),
                                       nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.ReLU()),
                                       nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                       nn.Linear(32, len(GENERA))])

    def __iter__(self):
        yield from itertools.chain((self.prep,), self.features)

    def forward(self, img):
        for m in self:
            img = m(img)
        return img


def _inputs(n):
    return torch.rand(n, 3, 40, 40)


def _trigger(x):
    x = x.clone()
    x[:, :, :4, :4] = _mark()
    return x


def corpus_case():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(9)
    ref_print = torch.rand(1, 3, 40, 40, generator=g) * 10.0
    model = SporeNet(ref_print).eval()
    reference = SporeNet(None).eval()
    reference.load_state_dict(model.state_dict())
    out = ref_print
    for m in model.features:
        out = m(out)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": int(out.argmax(1))}
