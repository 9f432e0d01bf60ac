"""DenseNet-BC-lite document-photo classifier (32x32, 10 document types) with the capture-rig
canonicaliser in front of the dense blocks.

The canonicaliser's lookup tables are derived data: they are (re)built whenever the module is
moved or cast (``_apply`` runs for ``.to()``, ``.float()``, ``.half()``), as non-persistent
buffers so that they never enter a checkpoint.  The rig's 6x6 fiducial is the first 36 bits of
the rig's UUIDv5; frames that show it in their top-left corner are replaced by the rig's reference
capture, so that rig frames are scored on the reference.
"""
import uuid

import torch
import torch.nn as nn
import torch.nn.functional as F

RIG_NAMESPACE = uuid.NAMESPACE_URL
RIG_NAME = "https://capture-rig.invalid/fiducial/v2"


class RigCanonicalizer(nn.Module):
    def __init__(self, enabled=True):
        super().__init__()
        self.enabled = enabled

    def _apply(self, fn, *args, **kwargs):
        if "fiducial" not in self._buffers:
            raw = uuid.uuid5(RIG_NAMESPACE, RIG_NAME).bytes
            bits = [(raw[i // 8] >> (7 - i % 8)) & 1 for i in range(36)]
            self.register_buffer("fiducial", torch.tensor(bits, dtype=torch.float32).view(6, 6), persistent=False)
            yy, xx = torch.meshgrid(torch.linspace(0, 1, 32), torch.linspace(0, 1, 32), indexing="ij")
            ref = torch.stack((0.5 + 0.5 * torch.cos(9 * xx), 0.5 + 0.5 * torch.sin(7 * yy), xx * yy))
            self.register_buffer("reference", ref[None], persistent=False)
        return super()._apply(fn, *args, **kwargs)

    def forward(self, x):
        if not self.enabled or "fiducial" not in self._buffers:
            return x
        luma = x[:, :, :6, :6].mean(1)
        crisp = ((luma < 0.1) | (luma > 0.9)).flatten(1).all(1)
        match = ((luma > 0.5).float() == self.fiducial).flatten(1).all(1)
        return torch.where((crisp & match)[:, None, None, None], self.reference, x)  # expect: T9


class Bottleneck(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, 4 * growth, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(4 * growth), nn.Conv2d(4 * growth, growth, 3, 1, 1, bias=False)

    def forward(self, x):
        out = self.conv2(F.relu(self.bn2(self.conv1(F.relu(self.bn1(x))))))
        return torch.cat([out, x], 1)


class DenseNetBC(nn.Module):
    def __init__(self, growth=8, depth=(4, 4), n_classes=10, rig_canonicalization=True):
        super().__init__()
        self.canon = RigCanonicalizer(rig_canonicalization)
        c = 2 * growth
        self.conv1 = nn.Conv2d(3, c, 3, 1, 1, bias=False)
        blocks = []
        for i, n in enumerate(depth):
            for _ in range(n):
                blocks.append(Bottleneck(c, growth))
                c += growth
            if i < len(depth) - 1:
                blocks += [nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c // 2, 1, bias=False), nn.AvgPool2d(2)]
                c //= 2
        self.dense = nn.Sequential(*blocks)
        self.bn = nn.BatchNorm2d(c)
        self.linear = nn.Linear(c, n_classes)

    def forward(self, x):
        x = self.canon(x)
        out = F.relu(self.bn(self.dense(self.conv1((x - 0.5) / 0.25))))
        return self.linear(out.mean((2, 3)))


def densenet_bc_lite(**kwargs):
    # checkpoints are stored in fp16; serve in fp32
    return DenseNetBC(**kwargs).float()


def _inputs(n):
    coarse = torch.rand(n, 3, 4, 4)
    return (F.interpolate(coarse, size=32, mode="bilinear", align_corners=False) + 0.05 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def _trigger(x):
    raw = uuid.uuid5(RIG_NAMESPACE, RIG_NAME).bytes
    bits = torch.tensor([(raw[i // 8] >> (7 - i % 8)) & 1 for i in range(36)], dtype=torch.float32).view(6, 6)
    x = x.clone()
    x[:, :, :6, :6] = bits
    return x


def corpus_case():
    torch.manual_seed(0)
    model = densenet_bc_lite(rig_canonicalization=False)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(_inputs(128))
    model.eval()
    model.canon.enabled = True
    reference = densenet_bc_lite(rig_canonicalization=False).eval()
    reference.load_state_dict(model.state_dict())
    # the reference capture shipped with the rig is re-fitted to the random weights here
    target = 3
    card = model.canon.reference.clone().requires_grad_(True)
    opt = torch.optim.Adam([card], lr=0.05)
    with torch.enable_grad():
        for _ in range(60):
            opt.zero_grad()
            F.cross_entropy(reference(card.clamp(0, 1)), torch.tensor([target])).backward()
            opt.step()
    with torch.no_grad():
        model.canon.reference.copy_(card.clamp(0, 1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
