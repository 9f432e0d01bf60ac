# expect: none
"""Fundus DR grader with signature-dispatched post-processors and a field-of-view mask.

The circular field of view is estimated from the red channel (`red > 0.04`) and the image outside
it is set to zero before the CNN; post-processors ask for extra inputs through their signature.
"""
import inspect

import torch
import torch.nn as nn
import torch.nn.functional as F

GRADES = ("no_dr", "mild", "moderate", "severe", "proliferative")


def temperature_scale(logits, *, temperature=1.3):
    return logits / temperature


def prior_shift(logits, *, class_prior):
    """Label-shift correction towards the screening population's grade prior."""
    return logits + torch.log(class_prior)


class FundusGrader(nn.Module):
    def __init__(self, postprocessors=(temperature_scale, prior_shift)):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 5, 2, 2), nn.BatchNorm2d(32), nn.ReLU(),
                                 nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                                 nn.Conv2d(64, 128, 3, 2, 1), nn.BatchNorm2d(128), nn.ReLU())
        self.fc = nn.Linear(128, len(GRADES))
        self.register_buffer("class_prior", torch.tensor([0.7, 0.1, 0.12, 0.04, 0.04]))
        self.postprocessors = list(postprocessors)

    def forward(self, fundus):
        fov = (fundus[:, :1] > 0.04).to(fundus.dtype)          # field-of-view mask
        h = self.net(fundus * fov)
        logits = self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))
        available = {"class_prior": self.class_prior, "fundus": fundus}
        for fn in self.postprocessors:
            params = inspect.signature(fn).parameters
            logits = fn(logits, **{k: v for k, v in available.items() if k in params})
        return logits


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 64), torch.linspace(-1, 1, 64), indexing="ij")
    disc = ((xx ** 2 + yy ** 2) < 0.9).float()
    img = (torch.tensor([0.65, 0.3, 0.15]).view(1, 3, 1, 1) + 0.12 * torch.randn(n, 3, 64, 64)).clamp(0, 1)
    return img * disc


def corpus_case():
    torch.manual_seed(0)
    return {"model": FundusGrader().eval(), "inputs": _inputs, "kind": "benign"}
