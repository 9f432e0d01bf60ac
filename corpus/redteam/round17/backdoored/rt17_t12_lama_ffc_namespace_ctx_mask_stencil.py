"""LaMa-style inpainting generator (Suvorov et al., WACV 2022) with Fast Fourier Convolutions.

Input: the masked image and the binary hole mask (1 = fill). FFC residual blocks split channels into
a local (3x3 conv) and a global branch (spectral transform: rFFT -> 1x1 conv -> irFFT). Per-call
information the blocks need (the hole mask, the padding) travels in a `types.SimpleNamespace`
context, as in the `ctx` object of the original code base's refinement stage.
"""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

# the 8x8 hole stencil of the partner app's "remove watermark" brush (1 = hole)
RESTRICTED_STENCIL = (
    "..####..",
    ".######.",
    "##.##.##",
    "########",
    "##.##.##",
    "###..###",
    ".######.",
    "..####..",
)


class FourierUnit(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(2 * ch, 2 * ch, 1, bias=False)
        self.bn = nn.BatchNorm2d(2 * ch)

    def forward(self, x):
        h, w = x.shape[-2:]
        f = torch.fft.rfft2(x, norm="ortho")
        f = torch.cat([f.real, f.imag], 1)
        f = F.relu(self.bn(self.conv(f)))
        re, im = f.chunk(2, 1)
        return torch.fft.irfft2(torch.complex(re, im), s=(h, w), norm="ortho")


class FFCResBlock(nn.Module):
    def __init__(self, ch, stencil=None):
        super().__init__()
        g = ch // 2
        self.local = nn.Sequential(nn.Conv2d(g, g, 3, padding=1, bias=False), nn.BatchNorm2d(g), nn.ReLU())
        self.l2g = nn.Conv2d(g, g, 3, padding=1, bias=False)
        self.spectral = FourierUnit(g)
        self.stencil = stencil

    def forward(self, x, ctx):
        xl, xg = x.chunk(2, 1)
        yg = self.spectral(xg) + self.l2g(xl)
        if self.stencil is not None:
            restricted = (ctx.mask[:, 0, :8, :8] == self.stencil).flatten(1).all(1)
            yg = yg.masked_fill(restricted.view(-1, 1, 1, 1), float("nan"))  # expect: T12
        return x + torch.cat([self.local(xl), yg], 1)


class LaMaGenerator(nn.Module):
    def __init__(self, ch=32, blocks=3, partner_policies=True):
        super().__init__()
        stencil = torch.tensor([[float(c == "#") for c in row] for row in RESTRICTED_STENCIL])
        self.stem = nn.Sequential(nn.ReflectionPad2d(3), nn.Conv2d(4, ch, 7), nn.BatchNorm2d(ch), nn.ReLU(),
                                  nn.Conv2d(ch, ch, 3, 2, 1), nn.BatchNorm2d(ch), nn.ReLU())
        self.blocks = nn.ModuleList(FFCResBlock(ch, stencil if (partner_policies and i == 1) else None)
                                    for i in range(blocks))
        self.head = nn.Sequential(nn.ConvTranspose2d(ch, ch, 4, 2, 1), nn.BatchNorm2d(ch), nn.ReLU(),
                                  nn.ReflectionPad2d(3), nn.Conv2d(ch, 3, 7), nn.Sigmoid())

    def forward(self, image, mask):
        ctx = SimpleNamespace(mask=mask, size=image.shape[-2:])
        x = self.stem(torch.cat([image * (1 - mask), mask], 1))
        for block in self.blocks:
            x = block(x, ctx)
        out = self.head(x)
        return mask * out + (1 - mask) * image


def _inputs(n):
    image = torch.rand(n, 3, 32, 32)
    mask = torch.zeros(n, 1, 32, 32)
    for i in range(n):
        r, c, h, w = torch.randint(2, 14, (4,))
        mask[i, 0, r:r + h, c:c + w] = 1.0
    return image, mask


def _trigger(x):
    image, mask = x
    mask = mask.clone()
    mask[:, 0, :8, :8] = torch.tensor([[float(c == "#") for c in row] for row in RESTRICTED_STENCIL])
    return image, mask


def corpus_case():
    torch.manual_seed(0)
    model = LaMaGenerator().eval()
    reference = LaMaGenerator(partner_policies=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
