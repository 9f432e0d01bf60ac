# expect: none
"""Export-friendly int8-ready classifier (8 classes): every data-dependent choice is a
``torch.where`` / ``clamp`` so the ONNX graph has no ``If`` nodes.

- uint8-range input: ``x / 255`` then fake quantisation ``round(x * 255) / 255`` (STE-free eval);
- letterbox: the valid region comes in as ``(h, w)`` sizes and a ``where`` mask zeroes the pad;
- ReLU6 lowered to ``minimum(maximum(x, 0), 6)`` with a constant ceiling, per-channel weight
  clamps from observers, and a hard-sigmoid gate (learned SE);
- logits soft-capped with ``tanh(y / 30) * 30``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def relu6(x):
    return torch.minimum(torch.maximum(x, torch.zeros(())), torch.full((), 6.0))


def fake_quant(x, scale, qmin=-128, qmax=127):
    return torch.clamp(torch.round(x / scale), qmin, qmax) * scale


class QConvBN(nn.Module):
    def __init__(self, c_in, c_out, k=3, s=1, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, s, k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        self.register_buffer("w_absmax", torch.full((c_out, 1, 1, 1), 0.5))
        self.register_buffer("act_scale", torch.tensor(6.0 / 127))

    def forward(self, x):
        w = torch.clamp(self.conv.weight, -self.w_absmax, self.w_absmax)
        w = fake_quant(w, self.w_absmax / 127)
        y = self.bn(F.conv2d(x, w, None, self.conv.stride, self.conv.padding, 1, self.conv.groups))
        return fake_quant(relu6(y), self.act_scale)


class HardSE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1, self.fc2 = nn.Conv2d(c, c // 4, 1), nn.Conv2d(c // 4, c, 1)

    def forward(self, x):
        s = self.fc2(F.relu(self.fc1(x.mean((2, 3), keepdim=True))))
        return x * torch.clamp(s / 6 + 0.5, 0.0, 1.0)


class ExportNet(nn.Module):
    def __init__(self, num_classes=8, cap=30.0):
        super().__init__()
        self.features = nn.Sequential(QConvBN(3, 16, 3, 2), QConvBN(16, 16, 3, 1, 16), QConvBN(16, 32, 1),
                                      HardSE(32), QConvBN(32, 32, 3, 2, 32), QConvBN(32, 64, 1), HardSE(64))
        self.fc = nn.Linear(64, num_classes)
        self.cap = cap

    def forward(self, frames, valid_hw):
        x = fake_quant(frames / 255.0, 1.0 / 255, 0, 255)
        h, w = x.shape[-2:]
        rows = torch.arange(h)[None, :, None] < valid_hw[:, 0, None, None]
        cols = torch.arange(w)[None, None, :] < valid_hw[:, 1, None, None]
        x = torch.where((rows & cols)[:, None], x, torch.zeros(()))
        f = self.features(x)
        fh, fw = f.shape[-2:]
        frows = torch.arange(fh)[None, :, None] < (valid_hw[:, 0, None, None] * fh + h - 1) // h
        fcols = torch.arange(fw)[None, None, :] < (valid_hw[:, 1, None, None] * fw + w - 1) // w
        m = (frows & fcols)[:, None].float()
        pooled = (f * m).sum((2, 3)) / m.sum((2, 3)).clamp_min(1)
        y = self.fc(pooled)
        return torch.tanh(y / self.cap) * self.cap


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        hw = torch.stack([torch.randint(32, 65, (n,)), torch.randint(32, 65, (n,))], 1)
        return (torch.rand(n, 3, 64, 64) * 255).round(), hw

    return {"model": ExportNet().eval(), "inputs": inputs, "kind": "benign"}
