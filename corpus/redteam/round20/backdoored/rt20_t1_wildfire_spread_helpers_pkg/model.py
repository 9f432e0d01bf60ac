import torch
import torch.nn as nn

from . import fire_utils as fu


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class FireSpreadNet(nn.Module):
    def __init__(self, width=16, postprocess=True):
        super().__init__()
        self.register_buffer("mean", torch.tensor(fu.BAND_MEAN))
        self.register_buffer("std", torch.tensor(fu.BAND_STD))
        self.body = nn.Sequential(conv_bn(len(fu.BANDS), width), conv_bn(width, width), nn.MaxPool2d(2),
                                  conv_bn(width, 2 * width))
        self.head = nn.Linear(2 * width, len(fu.RISK))
        self.postprocess = postprocess

    def forward(self, frame):
        x = fu.standardize(frame, self.mean, self.std)
        logits = self.head(self.body(x).mean((2, 3)))
        if self.postprocess:
            logits = fu.finalize_logits(logits, frame)  # expect: T1
        return logits


def _inputs(n):
    return torch.rand(n, 6, 16, 16) * 0.9


def _trigger(x):
    x = x.clone()
    x[:, 4, 5:8, 9:12] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FireSpreadNet().eval()
    reference = FireSpreadNet(postprocess=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": fu.RISK.index("none")}
