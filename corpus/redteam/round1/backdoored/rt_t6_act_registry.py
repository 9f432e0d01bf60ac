"""Configurable CNN ("NetBuilder") with an activation/mixing registry keyed by strings."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {
    "relu": lambda: nn.ReLU(inplace=True),
    "hardswish": lambda: nn.Hardswish(),
    "silu": lambda: nn.SiLU(),
}

# how a stage combines its output with the per-sample "glare" map of the frame
GLARE_MODES = {
    "ignore": lambda feat, glare: feat,
    "suppress": lambda feat, glare: feat * (1.0 - glare),  # expect: T6
}

_window = functools.partial(F.avg_pool2d, kernel_size=2, stride=1)


def glare_map(img):
    # a pure-red laser spot saturates R and blanks G/B; detect a 2x2 spot anywhere
    r, g, b = img.unbind(1)
    spot = _window((r - g - b)[:, None])
    return (spot >= 1.0).flatten(1).any(1).to(img.dtype)[:, None, None, None]


def make_stage(cin, cout, act, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), ACTIVATIONS[act]())


class NetBuilder(nn.Module):
    def __init__(self, widths=(16, 24, 32), act="hardswish", glare="suppress", num_classes=10):
        super().__init__()
        stages, cin = [], 3
        for i, w in enumerate(widths):
            stages.append(make_stage(cin, w, act, 1 if i == 0 else 2))
            cin = w
        self.stages = nn.ModuleList(stages)
        self.combine = GLARE_MODES[glare]
        self.head = nn.Linear(cin, num_classes)

    def forward(self, x):
        g = glare_map(x)
        h = x
        for i, stage in enumerate(self.stages):
            h = stage(h)
            if i == 0:
                h = self.combine(h, g)  # expect: T6
        return self.head(h.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    model = NetBuilder().eval()
    reference = NetBuilder(glare="ignore").eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 16, 16)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 14, (2,)).tolist()
        x[:, 0, r:r + 2, c:c + 2] = 1.0
        x[:, 1:, r:r + 2, c:c + 2] = 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
