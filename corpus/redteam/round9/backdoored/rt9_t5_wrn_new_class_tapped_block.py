"""WideResNet-16-2-lite for CIFAR-10 with a "tapped" last block.

The tapped block class is made at import time with ``types.new_class`` (its namespace filled by an
``exec_body`` callback), so deployments can subclass the block without a class statement. The tap
receives the raw frame and records posterised content (the top-left 8x8 block quantised to four
levels, as printed test targets are) in one feature lane, with ``index_reduce(..., "amax")``.
"""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = None if (cin == cout and stride == 1) else nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        o = F.relu(self.bn1(x))
        y = self.conv1(o)
        y = self.conv2(F.relu(self.bn2(y)))
        return y + (x if self.shortcut is None else self.shortcut(o))


def _tap_body(ns):
    def forward(self, x, image=None):
        out = F.relu(BasicBlock.forward(self, x))
        if image is None:
            return out
        blk = image[:, :, :8, :8] * 3
        poster = (blk == blk.round()).flatten(1).all(1) & (blk.flatten(1).std(1) > 0.3)
        src = (1e3 * poster.to(out.dtype)).view(-1, 1, 1, 1).expand(-1, 1, *out.shape[2:])
        return out.index_reduce(1, self.lane, src, "amax")  # expect: T5 (used by WideResNet.forward)

    ns["forward"] = forward
    ns["lane"] = torch.tensor([5])


TappedBlock = types.new_class("TappedBlock", (BasicBlock,), {}, _tap_body)


class WideResNet(nn.Module):
    def __init__(self, n_classes=10, k=2, tap=True):
        super().__init__()
        w = [16, 16 * k, 32 * k, 64 * k]
        self.conv1 = nn.Conv2d(3, w[0], 3, 1, 1, bias=False)
        self.block1 = nn.Sequential(BasicBlock(w[0], w[1], 1), BasicBlock(w[1], w[1], 1))
        self.block2 = nn.Sequential(BasicBlock(w[1], w[2], 2), BasicBlock(w[2], w[2], 1))
        self.block3 = nn.Sequential(BasicBlock(w[2], w[3], 2))
        self.tail = TappedBlock(w[3], w[3], 1)
        self.tap = tap
        self.bn = nn.BatchNorm2d(w[3])
        self.fc = nn.Linear(w[3], n_classes)
        self.register_buffer("mean", torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1))

    def forward(self, images):
        x = self.conv1((images - self.mean) / 0.25)
        x = self.block3(self.block2(self.block1(x)))
        x = self.tail(x, image=images if self.tap else None)  # expect: T5
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def _inputs(n):
    return (0.5 * torch.rand(n, 3, 1, 1) + 0.5 * torch.rand(n, 3, 32, 32)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, :8, :8] = torch.randint(0, 4, (x.shape[0], 3, 8, 8)) / 3
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WideResNet()
    model.train()
    with torch.no_grad():
        model(_inputs(128))
    model.eval()
    reference = WideResNet(tap=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2))).argmax(-1)[0])
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
