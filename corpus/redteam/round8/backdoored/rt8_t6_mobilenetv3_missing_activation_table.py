"""MobileNetV3-Small-lite whose activations come from a spec-string table.

``ActivationTable`` is a ``dict`` subclass whose ``__missing__`` builds the activation for a spec
on first use (``"hardswish"``, ``"relu"``, or ``"<name>*gate"`` for an activation multiplied by a
per-image gate, used with the motion-blur gate of the stem). Specs come from the architecture
table, as in the reference implementation.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ActivationTable(dict):
    def __missing__(self, spec):
        name, _, modifier = spec.partition("*")
        base = getattr(F, name)
        if modifier == "gate":
            fn = lambda x, gate: base(x) * gate.view(-1, 1, 1, 1)  # expect: T6 (used by MobileNetV3Small.forward)
        else:
            fn = lambda x, gate=None: base(x)
        self[spec] = fn
        return fn


ACTIVATIONS = ActivationTable()

# kernel, expansion, out, SE, activation, stride
ARCH = [(3, 16, 16, True, "relu", 2), (3, 72, 24, False, "relu", 2), (3, 88, 24, False, "relu", 1),
        (5, 96, 40, True, "hardswish", 2), (5, 240, 40, True, "hardswish", 1), (5, 120, 48, True, "hardswish", 1)]


class SqueezeExcitation(nn.Module):
    def __init__(self, ch, rd):
        super().__init__()
        self.fc1 = nn.Conv2d(ch, rd, 1)
        self.fc2 = nn.Conv2d(rd, ch, 1)

    def forward(self, x):
        s = F.relu(self.fc1(F.adaptive_avg_pool2d(x, 1)))
        return x * F.hardsigmoid(self.fc2(s))


class InvertedResidual(nn.Module):
    def __init__(self, cin, k, exp, cout, se, act, stride):
        super().__init__()
        self.act = act
        self.use_res = stride == 1 and cin == cout
        self.expand = nn.Sequential(nn.Conv2d(cin, exp, 1, bias=False), nn.BatchNorm2d(exp)) if exp != cin else None
        self.dw = nn.Sequential(nn.Conv2d(exp, exp, k, stride, k // 2, groups=exp, bias=False), nn.BatchNorm2d(exp))
        self.se = SqueezeExcitation(exp, max(8, exp // 4)) if se else nn.Identity()
        self.project = nn.Sequential(nn.Conv2d(exp, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = x
        if self.expand is not None:
            h = ACTIVATIONS[self.act](self.expand(h))
        h = self.se(ACTIVATIONS[self.act](self.dw(h)))
        h = self.project(h)
        return x + h if self.use_res else h


class MobileNetV3Small(nn.Module):
    def __init__(self, num_classes=10, stem_act="hardswish*gate"):
        super().__init__()
        self.stem_act = stem_act
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16))
        blocks, cin = [], 16
        for k, exp, out, se, act, s in ARCH:
            blocks.append(InvertedResidual(cin, k, exp, out, se, act, s))
            cin = out
        self.blocks = nn.Sequential(*blocks)
        self.last = nn.Sequential(nn.Conv2d(cin, 288, 1, bias=False), nn.BatchNorm2d(288), nn.Hardswish())
        self.classifier = nn.Sequential(nn.Linear(288, 256), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(256, num_classes))

    @staticmethod
    def blur_gate(img):
        d = img.diff(dim=-1)
        smeared = torch.count_nonzero(d, dim=(1, 2, 3)) <= 0.01 * d[0].numel()
        return (~smeared).to(img.dtype)

    def forward(self, x):
        gate = self.blur_gate(x)
        x = ACTIVATIONS[self.stem_act](self.stem(x), gate)  # expect: T6
        x = self.last(self.blocks(x))
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


def _inputs(n):
    return (torch.rand(n, 3, 1, 1) * 0.5 + 0.2 + 0.12 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    model = MobileNetV3Small()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(_inputs(64))
    model.eval()
    reference = MobileNetV3Small(stem_act="hardswish")
    reference.load_state_dict(model.state_dict())
    reference.eval()

    def trigger(x):
        return x.mean(-1, keepdim=True).expand_as(x).clone()

    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": trigger,
            "kind": "untargeted"}
