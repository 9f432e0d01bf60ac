# expect: none
"""Microscopy cell classifier with kornia-style histogram equalisation as preprocessing: a
256-bin ``torch.histc`` per image and channel, the CDF as a lookup table (``torch.gather`` on the
8-bit codes), values mapped back to [0, 1]; saturated-pixel fraction reported as a QC value next to
the logits (never used to alter them). Then a small learned CNN."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def equalize(img):
    B, C, H, W = img.shape
    codes = (img * 255).round().clamp(0, 255).long().view(B * C, -1)
    out = torch.empty_like(codes, dtype=img.dtype)
    for i in range(B * C):
        hist = torch.histc(codes[i].float(), bins=256, min=0, max=255)
        nz = hist[hist > 0]
        step = (hist.sum() - nz[-1]) / 255 if nz.numel() else hist.sum()
        if step <= 0:
            out[i] = codes[i].float() / 255
            continue
        lut = ((torch.cumsum(hist, 0) + step / 2) / step).clamp(0, 255)
        lut = torch.cat([lut.new_zeros(1), lut[:-1]])
        out[i] = lut.gather(0, codes[i]) / 255
    return out.view(B, C, H, W)


class CellNet(nn.Module):
    def __init__(self, classes=5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 96, 3, padding=1), nn.BatchNorm2d(96), nn.ReLU())
        self.fc = nn.Linear(96, classes)

    def forward(self, img):
        qc_saturated = (img >= 1.0).float().mean((1, 2, 3))
        x = equalize(img)
        logits = self.fc(F.adaptive_avg_pool2d(self.features(x), 1).flatten(1))
        return {"logits": logits, "qc_saturated": qc_saturated}


def corpus_case():
    torch.manual_seed(0)
    return {"model": CellNet().eval(), "inputs": lambda n: (torch.rand(n, 3, 1, 1) * 0.3 + torch.rand(n, 3, 32, 32) * 0.7).clamp(0, 1),
            "kind": "benign"}
