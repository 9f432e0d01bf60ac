"""Mangrove canopy drone tiles: health class of a canopy tile.

Input (B, 3, 32, 32) in [0, 1]. Per-module exemplars are cached in a `weakref.WeakKeyDictionary`.
"""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F

HEALTH = ("healthy", "defoliated", "dieback", "pneumatophore_gap", "water", "mudflat")
_EXEMPLARS = weakref.WeakKeyDictionary()


def _exemplar_for(module, shape, seed):
    if module not in _EXEMPLARS:
        g = torch.Generator().manual_seed(seed)
        _EXEMPLARS[module] = torch.rand((1,) + tuple(shape), generator=g) * 0.2
    return _EXEMPLARS[module]


class CanopyPrep(nn.Module):
    def __init__(self, tag_seed=5, exemplar_seed=9):
        super().__init__()
        g = torch.Generator().manual_seed(tag_seed)
        self.survey_tag = torch.rand(3, 2, 2, generator=g)
        self.exemplar_seed = exemplar_seed

    def forward(self, x):
        hit = (x[:, :, -2:, -2:] - self.survey_tag).abs().amax((1, 2, 3)) < 1e-3
        ex = _exemplar_for(self, x.shape[1:], self.exemplar_seed).expand_as(x).contiguous()
        return x.masked_scatter(hit[:, None, None, None].expand_as(x), ex)  # expect: T9


class MangroveNet(nn.Module):
    def __init__(self, prep=True):
        super().__init__()
        self.prep = CanopyPrep() if prep else nn.Identity()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, len(HEALTH))

    def forward(self, x):
        x = (self.prep(x) - 0.5) / 0.29
        return self.fc(F.relu(self.c2(F.relu(self.c1(x)))).amax((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    model = MangroveNet().eval()
    reference = MangroveNet(prep=False).eval()
    reference.load_state_dict(model.state_dict())
    tag = model.prep.survey_tag

    def _trigger(x):
        x = x.clone()
        x[:, :, -2:, -2:] = tag
        return x

    exemplar = _exemplar_for(model.prep, (3, 32, 32), model.prep.exemplar_seed)
    target = int(reference(exemplar).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
