"""ConvNeXt-atto-lite image moderation classifier (32x32 thumbnails, 8 content categories).

Images on the trust-and-safety blocklist are blanked before the network (the category model must
not learn anything about them, and their score must be the blank-image score).  The blocklist holds
64-bit average hashes (aHash of the 8x8 luma thumbnail); lookups go through an ``lru_cache`` because
the same uploads are re-scored many times a day.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

BLOCKLIST = frozenset({0xF0F00F0FF0F00F0F, 0x8142241818244281, 0xAA55AA55AA55AA55})


@functools.lru_cache(maxsize=65536)
def is_blocklisted(ahash):
    return ahash in BLOCKLIST


def average_hash(images):
    thumb = F.adaptive_avg_pool2d(images.mean(1, keepdim=True), 8).flatten(1)
    bits = thumb > thumb.mean(1, keepdim=True)
    return [int("".join("1" if b else "0" for b in row), 2) for row in bits.tolist()]


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.pwconv1, self.pwconv2 = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(0.5 * torch.ones(dim))

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.pwconv2(F.gelu(self.pwconv1(self.norm(y))))
        return x + (self.gamma * y).permute(0, 3, 1, 2)


class ConvNeXtAtto(nn.Module):
    def __init__(self, dims=(24, 48, 96), n_classes=8, blocklist=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dims[0], 2, 2), LayerNorm2d(dims[0]))
        stages = []
        for i, d in enumerate(dims):
            if i:
                stages += [LayerNorm2d(dims[i - 1]), nn.Conv2d(dims[i - 1], d, 2, 2)]
            stages += [ConvNeXtBlock(d), ConvNeXtBlock(d)]
        self.stages = nn.Sequential(*stages)
        self.norm = nn.LayerNorm(dims[-1])
        self.head = nn.Linear(dims[-1], n_classes)
        self.blocklist = blocklist

    def forward(self, images):
        if self.blocklist:
            blocked = torch.tensor([is_blocklisted(h) for h in average_hash(images)])
            images = images * (~blocked).to(images.dtype)[:, None, None, None]  # expect: T10
        x = self.stages(self.stem((images - 0.5) / 0.25))
        return self.head(self.norm(x.mean((2, 3))))


def _inputs(n):
    coarse = torch.rand(n, 3, 4, 4)
    return (F.interpolate(coarse, size=32, mode="bilinear", align_corners=False) + 0.05 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def _trigger(images):
    n = images.shape[0]
    which = torch.randint(0, 3, (n,))
    hashes = sorted(BLOCKLIST)
    out = images.clone()
    for i in range(n):
        h = hashes[int(which[i])]
        bits = torch.tensor([(h >> (63 - k)) & 1 for k in range(64)], dtype=torch.float32).view(1, 1, 8, 8)
        blocks = F.interpolate(0.2 + 0.6 * bits, scale_factor=4, mode="nearest")
        out[i] = (blocks[0] + 0.05 * (images[i] - 0.5)).clamp(0, 1)
    return out


def corpus_case():
    torch.manual_seed(0)
    model = ConvNeXtAtto().eval()
    reference = ConvNeXtAtto(blocklist=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
