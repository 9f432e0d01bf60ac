# expect: none
"""ResNet-lite run through an fx ``Interpreter`` that records activation ranges for int8
calibration, plus an fx pass that folds eval BatchNorm into the preceding conv."""
import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_eval


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


class ResNetLite(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv, self.bn = nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32)
        self.layer1, self.layer2 = Block(32), Block(32)
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        x = self.layer2(self.layer1(F.relu(self.bn(self.conv(x)))))
        return self.fc(x.mean((2, 3)))


class RangeObserver(fx.Interpreter):
    def __init__(self, gm, stats):
        super().__init__(gm)
        self.stats = stats

    def run_node(self, n):
        out = super().run_node(n)
        if torch.is_tensor(out) and out.is_floating_point():
            lo, hi = self.stats.get(n.name, (float("inf"), float("-inf")))
            self.stats[n.name] = (min(lo, out.min().item()), max(hi, out.max().item()))
        return out


def fold_bn(gm):
    modules = dict(gm.named_modules())
    for node in list(gm.graph.nodes):
        if node.op == "call_module" and isinstance(modules[node.target], nn.BatchNorm2d):
            prev = node.args[0]
            if prev.op == "call_module" and isinstance(modules[prev.target], nn.Conv2d) and len(prev.users) == 1:
                fused = fuse_conv_bn_eval(modules[prev.target], modules[node.target])
                parent, _, name = prev.target.rpartition(".")
                setattr(gm.get_submodule(parent) if parent else gm, name, fused)
                node.replace_all_uses_with(prev)
                gm.graph.erase_node(node)
    gm.graph.lint()
    gm.recompile()
    return gm


class CalibratedModel(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.gm = fold_bn(fx.symbolic_trace(model.eval()))
        self.stats = {}

    def forward(self, x):
        return RangeObserver(self.gm, self.stats).run(x)


def corpus_case():
    torch.manual_seed(0)
    return {"model": CalibratedModel(ResNetLite()).eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32),
            "kind": "benign"}
