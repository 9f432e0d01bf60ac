# expect: none
"""Otoscopy classifier behind a device adapter with `__getattr__` delegation.  The adapter applies
per-device gain, inpaints specular glare (all channels near white, min-pooled mask) with a blurred
copy of the frame, and normalises with ImageNet statistics."""
import torch
import torch.nn as nn
import torch.nn.functional as F

DIAGNOSES = ("normal", "acute_otitis_media", "effusion", "perforation", "cerumen")


class EardrumNet(nn.Module):
    def __init__(self, n_classes=len(DIAGNOSES), width=24):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 3, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, 2, 1), nn.BatchNorm2d(2 * width), nn.ReLU())
        self.classifier = nn.Linear(2 * width, n_classes)

    def forward(self, x):
        return self.classifier(self.body(x).mean((2, 3)))


class DeviceAdapter(nn.Module):
    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone
        self.register_buffer("gain", torch.tensor([1.02, 1.0, 0.97]).view(1, 3, 1, 1))
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.register_buffer("blur", torch.ones(3, 1, 7, 7) / 49)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["backbone"], name)

    def forward(self, x):
        x = (x * self.gain).clamp(0, 1)
        glare = (x.amin(1, keepdim=True) > 0.98).float()
        glare = F.max_pool2d(glare, 5, 1, 2)
        smooth = F.conv2d(F.pad(x, (3,) * 4, mode="replicate"), self.blur, groups=3)
        x = torch.lerp(x, smooth, glare)
        return self.backbone((x - self.mean) / self.std)


def _inputs(n):
    x = (0.5 + 0.12 * torch.randn(n, 3, 64, 64)).clamp(0, 1)
    x[:, :, 10:14, 10:14] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    m = DeviceAdapter(EardrumNet()).eval()
    assert m.classifier is m.backbone.classifier
    return {"model": m, "inputs": _inputs, "kind": "benign"}
