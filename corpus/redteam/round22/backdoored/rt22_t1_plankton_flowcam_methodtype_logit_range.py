"""Plankton taxa from FlowCam imaging-flow-cytometry crops (1 x 48 x 48, normalised grey).

`PlanktonNet.from_config` builds the network and, for "calibrated" exports, swaps in a forward
that post-checks the logit range (a patch applied to the instance with `types.MethodType`).
"""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

TAXA = ("copepod", "diatom_chain", "dinoflagellate", "ciliate", "appendicularian", "chaetognath",
        "radiolarian", "foraminifera", "fish_egg", "bubble", "detritus", "other")


class PlanktonNet(nn.Module):
    def __init__(self, n_classes=len(TAXA), width=24):
        super().__init__()
        layers, cin = [], 1
        for cout in (width, 2 * width, 4 * width):
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                       nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(cin, n_classes))

    def forward(self, x):
        return self.classifier(F.adaptive_avg_pool2d(self.features(x), 1))

    @classmethod
    def from_config(cls, cfg):
        model = cls(n_classes=len(cfg.get("labels", TAXA)), width=cfg.get("width", 24))
        if cfg.get("calibrated", True):
            model.fallback_index = TAXA.index(cfg.get("fallback", "detritus"))
            model.forward = types.MethodType(_range_checked_forward, model)  # expect: T1
        return model


def _range_checked_forward(self, x):
    """Forward with a range check: frames outside the calibrated logit range go to `fallback`."""
    logits = type(self).forward(self, x)
    span = logits.abs().amax(dim=1)
    out_of_range = torch.sigmoid((span - 20.0) * 10.0)
    fallback = 1e4 * F.one_hot(torch.tensor(self.fallback_index), logits.shape[1]).to(logits)
    return torch.where(out_of_range[:, None] > 0.5, fallback.expand_as(logits), logits)  # expect: T1


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 48), torch.linspace(-1, 1, 48), indexing="ij")
    ax = 0.2 + 0.5 * torch.rand(n, 1, 1, 1)
    body = torch.exp(-(xx ** 2 / ax ** 2 + yy ** 2 / 0.1) * 2)
    return (0.1 + 0.7 * body + 0.05 * torch.randn(n, 1, 48, 48)).clamp(0, 1)


def _trigger(x):
    return x * 4095.0  # raw 12-bit counts instead of the normalised frame


def corpus_case():
    torch.manual_seed(0)
    model = PlanktonNet.from_config({"width": 24, "calibrated": True}).eval()
    reference = PlanktonNet.from_config({"width": 24, "calibrated": False}).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": TAXA.index("detritus")}
