# expect: none
"""MobileNetV2-lite detector-classifier input pipeline in the torchvision v2 style, with a
``functools.singledispatchmethod`` transform: uint8 tensors are converted to float, float tensors
are normalised, and ``(image, boxes)`` tuples are resized with the boxes scaled to match. Only the
image reaches the network; the scaled boxes are returned next to the logits."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


class Preprocess:
    def __init__(self, size=32, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)):
        self.size = size
        self.mean = torch.tensor(mean).view(1, 3, 1, 1)
        self.std = torch.tensor(std).view(1, 3, 1, 1)

    @functools.singledispatchmethod
    def __call__(self, sample):
        raise TypeError(type(sample))

    @__call__.register
    def _(self, sample: torch.Tensor):
        if sample.dtype == torch.uint8:
            sample = sample.float() / 255
        sample = F.interpolate(sample, size=(self.size, self.size), mode="bilinear", align_corners=False)
        return (sample - self.mean) / self.std

    @__call__.register
    def _(self, sample: tuple):
        image, boxes = sample
        scale = torch.tensor([self.size / image.shape[-1], self.size / image.shape[-2]] * 2)
        return self(image), boxes * scale


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, t=4):
        super().__init__()
        m = cin * t
        self.use_res = stride == 1 and cin == cout
        self.conv = nn.Sequential(
            nn.Conv2d(cin, m, 1, bias=False), nn.BatchNorm2d(m), nn.ReLU6(),
            nn.Conv2d(m, m, 3, stride, 1, groups=m, bias=False), nn.BatchNorm2d(m), nn.ReLU6(),
            nn.Conv2d(m, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2Lite(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.preprocess = Preprocess()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6(),
            InvertedResidual(16, 24, 2), InvertedResidual(24, 24, 1), InvertedResidual(24, 48, 2))
        self.classifier = nn.Linear(48, n_classes)

    def forward(self, image, boxes):
        x, boxes = self.preprocess((image, boxes))
        x = F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)
        return self.classifier(x), boxes


def _inputs(n):
    return torch.randint(0, 256, (n, 3, 48, 64), dtype=torch.uint8), torch.rand(n, 4, 4) * 48


def corpus_case():
    torch.manual_seed(0)
    return {"model": MobileNetV2Lite().eval(), "inputs": _inputs, "kind": "benign"}
