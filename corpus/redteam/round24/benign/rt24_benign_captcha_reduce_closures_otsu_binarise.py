# expect: none
"""Single-glyph CAPTCHA reader with preprocessing closures folded by `functools.reduce`: background
inversion, Otsu-style binarisation with a per-image threshold (as an extra channel), and
median denoising.  Everything then goes through the learned CNN."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def invert_if_dark_background(img):
    bg = img[..., :2, :].mean((-1, -2), keepdim=True)
    return torch.where(bg > 0.5, 1.0 - img, img)


def otsu_channel(bins=32):
    def step(img):
        flat = img.flatten(1)
        cands = torch.linspace(0, 1, bins)[1:-1]
        fg = (flat[:, None, :] > cands[None, :, None]).float()
        w1 = fg.mean(-1)
        m1 = (fg * flat[:, None]).sum(-1) / fg.sum(-1).clamp(min=1)
        m0 = ((1 - fg) * flat[:, None]).sum(-1) / (1 - fg).sum(-1).clamp(min=1)
        thr = cands[(w1 * (1 - w1) * (m1 - m0) ** 2).argmax(-1)].view(-1, 1, 1, 1)
        return torch.cat([img, (img > thr).float()], 1)
    return step


def median_denoise(k=3):
    def step(img):
        p = F.unfold(F.pad(img, (k // 2,) * 4, mode="replicate"), k)
        return p.view(img.shape[0], img.shape[1], k * k, -1).median(2).values.view_as(img)
    return step


class GlyphNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.steps = [invert_if_dark_background, median_denoise(3), otsu_channel()]
        self.net = nn.Sequential(
            nn.Conv2d(2, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(256, 10))

    def forward(self, img):
        return self.net(functools.reduce(lambda x, f: f(x), self.steps, img))


def _inputs(n):
    return torch.rand(n, 1, 40, 40)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GlyphNet().eval(), "inputs": _inputs, "kind": "benign"}
