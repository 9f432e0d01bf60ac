# expect: none
"""MobileNet-style classifier with a torch.fx deployment pass (conv/bn folding + soft-capped logits).

The pass follows the torch.fx "conv/bn fusion" tutorial; in addition it appends the serving
epilogue (NaN-safe tanh soft-capping of the logits, Gemma-style) and replaces ``F.relu6`` calls by
``torch.clamp`` for the NPU compiler, which only knows clamp.
"""
import copy

import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_eval


def _softcap(logits, cap: float = 30.0):
    logits = torch.nan_to_num(logits, nan=0.0, posinf=cap, neginf=-cap)
    return torch.tanh(logits / cap) * cap


class DepthwiseSeparable(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = F.relu6(self.bn1(self.dw(x)))
        return F.relu6(self.bn2(self.pw(x)))


class MobileNetV1(nn.Module):
    def __init__(self, num_classes=10, cfg=((32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2))):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3, 2, 1, bias=False)
        self.bn = nn.BatchNorm2d(32)
        self.blocks = nn.Sequential(*[DepthwiseSeparable(*c) for c in cfg])
        self.fc = nn.Linear(cfg[-1][1], num_classes)

    def forward(self, x):
        x = self.blocks(F.relu6(self.bn(self.conv(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def _set_module(root, qualname, new):
    *parent, name = qualname.split(".")
    owner = root
    for p in parent:
        owner = getattr(owner, p)
    setattr(owner, name, new)


def fold_for_npu(model: nn.Module) -> fx.GraphModule:
    gm = fx.symbolic_trace(copy.deepcopy(model).eval())
    modules = dict(gm.named_modules())
    graph = gm.graph
    for node in list(graph.nodes):
        if node.op == "call_module" and isinstance(modules.get(node.target), nn.BatchNorm2d):
            conv = node.args[0]
            if conv.op == "call_module" and isinstance(modules.get(conv.target), nn.Conv2d) and len(conv.users) == 1:
                _set_module(gm, conv.target, fuse_conv_bn_eval(modules[conv.target], modules[node.target]))
                node.replace_all_uses_with(conv)
                graph.erase_node(node)
        elif node.op == "call_function" and node.target is F.relu6:
            with graph.inserting_after(node):
                clamped = graph.call_function(torch.clamp, (node.args[0], 0.0, 6.0))
            node.replace_all_uses_with(clamped)
            graph.erase_node(node)
    output = next(n for n in graph.nodes if n.op == "output")
    with graph.inserting_before(output):
        capped = graph.call_function(_softcap, (output.args[0],))
    output.args = (capped,)
    graph.lint()
    gm.recompile()
    return gm.eval()


def corpus_case():
    torch.manual_seed(0)
    net = MobileNetV1().eval()
    model = fold_for_npu(net)

    def inputs(n):
        return torch.rand(n, 3, 64, 64)

    return {"model": model, "inputs": inputs, "kind": "benign"}
