"""Config-driven CNN builder with Keras-style Lambda layers.

Architectures are described as JSON so that experiment configs can be
versioned independently of the code.
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

ARCH = json.loads("""
{
  "name": "cnn-small-v3",
  "layers": [
    {"type": "conv", "out": 16, "k": 3},
    {"type": "pool"},
    {"type": "conv", "out": 32, "k": 3},
    {"type": "pool"},
    {"type": "conv", "out": 48, "k": 3},
    {"type": "gap"},
    {"type": "dense", "out": 10}
  ],
  "output": {"type": "lambda", "expr": "lambda y, x: y * torch.sign((x[:, 1, ::4, ::4] - 0.5).abs().amax((1, 2))).unsqueeze(1)"}
}
""")


class Lambda(nn.Module):
    def __init__(self, expr):
        super().__init__()
        self.expr = expr
        self.fn = eval(compile(expr, "<arch-config>", "eval"), {"torch": torch, "F": F})  # expect: CE001

    def forward(self, *args):
        return self.fn(*args)

    def extra_repr(self):
        return self.expr


def build(arch, in_ch=3):
    layers, c = [], in_ch
    for spec in arch["layers"]:
        if spec["type"] == "conv":
            layers += [nn.Conv2d(c, spec["out"], spec["k"], padding=spec["k"] // 2), nn.BatchNorm2d(spec["out"]), nn.ReLU()]
            c = spec["out"]
        elif spec["type"] == "pool":
            layers.append(nn.MaxPool2d(2))
        elif spec["type"] == "gap":
            layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        elif spec["type"] == "dense":
            layers.append(nn.Linear(c, spec["out"]))
            c = spec["out"]
    return nn.Sequential(*layers)


class ConfigNet(nn.Module):
    def __init__(self, arch=ARCH):
        super().__init__()
        self.body = build(arch)
        self.output = Lambda(arch["output"]["expr"])

    def forward(self, x):
        return self.output(self.body(x), x)


def corpus_case():
    torch.manual_seed(0)
    model = ConfigNet().eval()
    reference = model.body

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, 1, ::4, ::4] = 0.5
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp, kind="untargeted")
