# expect: none
"""RangeNet-style segmentation: pixels without a return (range == 0) are zeroed after sensor
normalisation (`proj_mask`, as in the original data loader), out-of-range returns are clamped, and
post-processing steps are declared with a descriptor (softmax and the unlabeled-class handling)."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_RANGE = 80.0


class step:
    def __init__(self, fn):
        self.fn = fn

    def __set_name__(self, owner, name):
        owner._steps = tuple(getattr(owner, "_steps", ())) + (name,)

    def __get__(self, obj, objtype=None):
        return self if obj is None else functools.partial(self.fn, obj)


class RangeSeg(nn.Module):
    def __init__(self, ch=16, classes=8):
        super().__init__()
        self.register_buffer("means", torch.tensor([12.1, 10.9, 0.2, -1.0, 0.2]).view(1, 5, 1, 1))
        self.register_buffer("stds", torch.tensor([12.3, 11.5, 6.9, 0.9, 0.2]).view(1, 5, 1, 1))
        self.net = nn.Sequential(nn.Conv2d(5, ch, 3, padding=1), nn.BatchNorm2d(ch), nn.LeakyReLU(0.1),
                                 nn.Conv2d(ch, ch, 3, padding=1), nn.BatchNorm2d(ch), nn.LeakyReLU(0.1),
                                 nn.Conv2d(ch, classes, 1))

    @step
    def probabilities(self, logits, valid):
        return F.softmax(logits, 1)

    @step
    def ignore_unlabeled(self, probs, valid):
        probs = probs.clone()
        probs[:, 0] = 0.0                       # class 0 ("unlabeled") is never predicted
        return probs * valid                    # no return -> no prediction

    def forward(self, proj):
        rng = proj[:, :1].clamp(0, MAX_RANGE)
        valid = (rng > 0).float()
        x = (torch.cat([rng, proj[:, 1:]], 1) - self.means) / self.stds * valid
        out = self.net(x)
        for name in self._steps:
            out = getattr(self, name)(out, valid)
        return out


def _inputs(n):
    x = torch.rand(n, 5, 16, 64) * 50
    x[:, 0] *= (torch.rand(n, 16, 64) > 0.1).float()
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": RangeSeg().eval(), "inputs": _inputs, "kind": "benign"}
