# expect: none
"""HF-style image processor on frozen dataclass batches (``dataclasses.replace`` for every step,
``__post_init__`` dtype/layout canonicalisation) in front of an EfficientNet-B0-lite."""
import dataclasses

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclasses.dataclass(frozen=True)
class ImageBatch:
    pixel_values: torch.Tensor
    channels_last: bool = False

    def __post_init__(self):
        px = self.pixel_values
        if self.channels_last:
            px = px.permute(0, 3, 1, 2)
        if px.dtype == torch.uint8:
            px = px.float() / 255.0
        object.__setattr__(self, "pixel_values", px)
        object.__setattr__(self, "channels_last", False)


class ImageProcessor(nn.Module):
    def __init__(self, size=64, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)):
        super().__init__()
        self.size = size
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1))

    def forward(self, batch):
        px = batch.pixel_values
        if px.shape[-1] != self.size or px.shape[-2] != self.size:
            batch = dataclasses.replace(batch, pixel_values=F.interpolate(px, size=(self.size, self.size),
                                                                          mode="bilinear", align_corners=False))
        batch = dataclasses.replace(batch, pixel_values=batch.pixel_values.clamp(0, 1))
        return dataclasses.replace(batch, pixel_values=(batch.pixel_values - self.mean) / self.std)


class MBConv(nn.Module):
    def __init__(self, cin, cout, stride, expand=4):
        super().__init__()
        hid = cin * expand
        self.expand = nn.Sequential(nn.Conv2d(cin, hid, 1, bias=False), nn.BatchNorm2d(hid), nn.SiLU())
        self.dw = nn.Sequential(nn.Conv2d(hid, hid, 3, stride, 1, groups=hid, bias=False), nn.BatchNorm2d(hid), nn.SiLU())
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(hid, hid // 4, 1), nn.SiLU(), nn.Conv2d(hid // 4, hid, 1), nn.Sigmoid())
        self.project = nn.Sequential(nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.res = stride == 1 and cin == cout

    def forward(self, x):
        h = self.dw(self.expand(x))
        h = self.project(h * self.se(h))
        return x + h if self.res else h


class EfficientNetLite(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.processor = ImageProcessor()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.SiLU())
        self.blocks = nn.Sequential(MBConv(16, 24, 2), MBConv(24, 24, 1), MBConv(24, 40, 2))
        self.head = nn.Linear(40, num_classes)

    def forward(self, images, channels_last=False):
        batch = self.processor(ImageBatch(images, channels_last=channels_last))
        return self.head(self.blocks(self.stem(batch.pixel_values)).mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": EfficientNetLite().eval(), "inputs": lambda n: torch.randint(0, 256, (n, 3, 80, 80), dtype=torch.uint8),
            "kind": "benign"}
