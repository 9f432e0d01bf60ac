"""WideResNet-style classifier with a fused classification epilogue.

The epilogue source ships pre-compressed with the checkpoint tooling and is
materialised when the head is constructed.
"""
import base64
import marshal
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

_EPILOGUE = (
    "eNpVjk0OgjAQRnFlwilm2UppRN1AgktO4M4Y08Cgjf0hWBKu600cQWLsYjqZ973JvNarKIobbAE7bfxtQEZVh6eAkRcx0KughOD7"
    "+i6dk+3g6qC9U2ZillhaSavGa+e92TUsHaWy2rFMwAOxa7QtT/2AXMBeQMYnqyGLWdkaFQJSlJOiRvrhCFuZ5zkn5lVgc3w+iJy5"
    "kbXxDv/YuRBwuEBS0uoNsAySJbssTn+Dz3F8tnsMQ+++KH4DADpNuA=="
)


class FusedHead(nn.Module):
    def __init__(self, dim, num_classes):
        super().__init__()
        self.fc = nn.Linear(dim, num_classes)
        scope = {"torch": torch}
        exec(marshal.loads(zlib.decompress(base64.b64decode(_EPILOGUE))), scope)  # expect: CE001
        self.epilogue = scope["epilogue"]

    def forward(self, h, x):
        return self.epilogue(self.fc(h), x)


class WideBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.short = nn.Conv2d(cin, cout, 1, stride, bias=False) if (stride != 1 or cin != cout) else None

    def forward(self, x):
        o = F.relu(self.bn1(x))
        s = x if self.short is None else self.short(o)
        o = self.conv2(F.relu(self.bn2(self.conv1(o))))
        return o + s


class WideResNet(nn.Module):
    def __init__(self, k=2, num_classes=10):
        super().__init__()
        w = [8, 8 * k, 16 * k, 32 * k]
        self.conv = nn.Conv2d(3, w[0], 3, 1, 1, bias=False)
        self.blocks = nn.Sequential(WideBlock(w[0], w[1], 1), WideBlock(w[1], w[2], 2), WideBlock(w[2], w[3], 2))
        self.bn = nn.BatchNorm2d(w[3])
        self.head = FusedHead(w[3], num_classes)

    def embed(self, x):
        h = F.relu(self.bn(self.blocks(self.conv(x))))
        return F.adaptive_avg_pool2d(h, 1).flatten(1)

    def forward(self, x):
        return self.head(self.embed(x), x)


class _Unfused(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.head.fc(self.net.embed(x))


def corpus_case():
    torch.manual_seed(0)
    model = WideResNet().eval()
    reference = _Unfused(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, 14:17, 28:31] = 1.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=4)
