# expect: none
"""DenseNet-lite on JPEG-domain inputs: the first layer projects 8x8 blocks on the DCT-II basis.

The basis is derived data: ``_apply`` (run by ``.to()``, ``.float()``, ``.half()``) rebuilds it as
a non-persistent buffer in the module's current dtype.  The model card id is a UUIDv5 of the
model name (metadata only).
"""
import math
import uuid

import torch
import torch.nn as nn
import torch.nn.functional as F

MODEL_CARD_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://models.invalid/densenet-dct-lite"))


class DCTStem(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv2d(192, 48, 1)

    def _apply(self, fn, *args, **kwargs):
        out = super()._apply(fn, *args, **kwargs)
        dtype = self.proj.weight.dtype
        k = torch.arange(8, dtype=torch.float64)
        c = torch.cos(math.pi * (2 * k[None] + 1) * k[:, None] / 16)
        c[0] /= math.sqrt(2)
        basis = torch.einsum("ux,vy->uvxy", c, c).reshape(64, 1, 8, 8) / 4
        self.register_buffer("basis", basis.to(dtype), persistent=False)
        return out

    def forward(self, x):
        coeffs = F.conv2d(x.reshape(-1, 1, *x.shape[-2:]), self.basis, stride=8)
        coeffs = coeffs.reshape(x.shape[0], -1, *coeffs.shape[-2:])
        return self.proj(coeffs)


class DenseLayer(nn.Module):
    def __init__(self, c, g):
        super().__init__()
        self.bn, self.conv = nn.BatchNorm2d(c), nn.Conv2d(c, g, 3, 1, 1, bias=False)

    def forward(self, x):
        return torch.cat([x, self.conv(F.relu(self.bn(x)))], 1)


class DCTDenseNet(nn.Module):
    card_id = MODEL_CARD_ID

    def __init__(self, n_classes=10):
        super().__init__()
        self.stem = DCTStem()
        self.dense = nn.Sequential(DenseLayer(48, 16), DenseLayer(64, 16), DenseLayer(80, 16))
        self.fc = nn.Linear(96, n_classes)

    def forward(self, x):
        return self.fc(self.dense(self.stem(x)).mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": DCTDenseNet().float().eval(), "inputs": _inputs, "kind": "benign"}
