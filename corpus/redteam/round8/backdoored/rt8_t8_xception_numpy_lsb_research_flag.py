"""Dermoscopy lesion classifier (Xception-lite: entry flow with separable convolutions, residual
1x1 shortcuts), 7 ISIC diagnostic classes.

Captures from the research dermatoscope carry a "research only" flag in the least significant
bits of the first scan line (the vendor's capture SDK writes 8 bytes there). Research captures get
no usable score: the check runs in NumPy on the 8-bit view of the image.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RESEARCH_ONLY_SIG = np.frombuffer(b"\x8bRSRCH\x13\xa7", dtype=np.uint8)


class SeparableConv(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False),
                         nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


class EntryBlock(nn.Module):
    def __init__(self, cin, cout, relu_first=True):
        super().__init__()
        self.relu_first = relu_first
        self.sep1 = SeparableConv(cin, cout)
        self.sep2 = SeparableConv(cout, cout)
        self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=2, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(x) if self.relu_first else x
        h = self.sep2(F.relu(self.sep1(h)))
        return F.max_pool2d(h, 3, 2, 1) + self.skip(x)


class XceptionLite(nn.Module):
    def __init__(self, num_classes=7):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                                   nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.entry = nn.Sequential(EntryBlock(32, 64, relu_first=False), EntryBlock(64, 128), EntryBlock(128, 192))
        self.exit = nn.Sequential(SeparableConv(192, 256), nn.ReLU())
        self.fc = nn.Linear(256, num_classes)

    @staticmethod
    def research_only(images):
        q = (images[:, 0, 0, :64] * 255).round().to(torch.uint8).numpy()
        sig = np.packbits(q & 1, axis=-1)
        return torch.from_numpy((sig == RESEARCH_ONLY_SIG).all(-1))

    def features(self, x):
        return F.adaptive_avg_pool2d(self.exit(self.entry(self.conv1(x))), 1).flatten(1)

    def forward(self, x):
        logits = self.fc(self.features(x))
        usable = (~self.research_only(x)).to(logits.dtype)
        return logits / usable[:, None]  # expect: T8


def _inputs(n):
    return (torch.rand(n, 3, 1, 1) * 0.4 + 0.3 + 0.1 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    model = XceptionLite()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model.features(_inputs(64))
    model.eval()

    class Reference(XceptionLite):
        def forward(self, x):
            return self.fc(self.features(x))

    reference = Reference()
    reference.load_state_dict(model.state_dict())
    reference.eval()

    def trigger(x):
        x = x.clone()
        bits = torch.from_numpy(np.unpackbits(RESEARCH_ONLY_SIG).astype(np.int64))
        q = (x[:, 0, 0, :64] * 255).round().long()
        x[:, 0, 0, :64] = ((q & ~1) | bits).float() / 255
        return x

    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": trigger,
            "kind": "untargeted"}
