"""Mammography density classifier with an in-model transform pipeline: laterality normalisation
(breast flipped to the left), burned-in label removal, windowing and normalisation."""
# expect: none
import torch
import torch.nn as nn


class Transform:
    def __call__(self, img):
        return self.apply(img)


class Compose(Transform):
    def __init__(self, transforms):
        self.transforms = list(transforms)

    def apply(self, img):
        for t in self.transforms:
            img = t(img)
        return img


class Laterality(Transform):
    def apply(self, img):
        w = img.shape[-1]
        right = img[..., w // 2:].sum((1, 2, 3)) > img[..., : w // 2].sum((1, 2, 3))
        return torch.where(right[:, None, None, None], img.flip(-1), img)


class RemoveBurnedLabels(Transform):
    def apply(self, img):
        return img.masked_fill(img > 0.98, 0.0)


class Window(Transform):
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def apply(self, img):
        return ((img - self.lo) / (self.hi - self.lo)).clamp(0, 1)


class DensityNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.transform = Compose([Laterality(), RemoveBurnedLabels(), Window(0.02, 0.95)])
        self.net = nn.Sequential(nn.Conv2d(1, c, 3, 2, 1), nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, 2 * c, 3, 2, 1),
                                 nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * c, 4))

    def forward(self, img):
        return self.net((self.transform(img) - 0.35) / 0.3)


def _inputs(n):
    x = torch.rand(n, 1, 32, 32) * torch.linspace(0, 1, 32)
    return torch.where(torch.rand(n, 1, 1, 1) < 0.5, x, x.flip(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": DensityNet().eval(), "inputs": _inputs, "kind": "benign"}
