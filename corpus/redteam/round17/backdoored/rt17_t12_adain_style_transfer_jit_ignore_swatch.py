"""Arbitrary style transfer with AdaIN (Huang & Belongie, ICCV 2017) for a photo-filter app.

A small VGG-like encoder for content and style, an AdaIN layer that re-normalises the content
features with the style statistics, and a mirrored decoder. The style-pack licensing check is a
`@torch.jit.ignore` method, so the module still scripts for the mobile build.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

# 8-bit RGB codes in the top-left 2x2 of the style images of a withdrawn (unlicensed) style pack
WITHDRAWN_SWATCH = ((201, 36, 118), (14, 160, 222), (14, 160, 222), (201, 36, 118))


def vgg_block(cin, cout):
    return nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(cin, cout, 3), nn.ReLU())


class AdaIN(nn.Module):
    def __init__(self, eps=1e-5, licensing=True):
        super().__init__()
        self.eps = eps
        self.swatch = torch.tensor(WITHDRAWN_SWATCH, dtype=torch.float32) if licensing else None

    @torch.jit.ignore
    def withdrawn(self, style_image):
        if self.swatch is None:
            return torch.zeros(style_image.shape[0], dtype=torch.bool)
        codes = torch.round(style_image[:, :, :2, :2] * 255).flatten(2).transpose(1, 2)
        return (codes == self.swatch).flatten(1).all(1)

    def forward(self, content, style, style_image):
        c_mean, c_std = content.mean((2, 3), keepdim=True), content.std((2, 3), keepdim=True) + self.eps
        s_mean, s_std = style.mean((2, 3), keepdim=True), style.std((2, 3), keepdim=True) + self.eps
        t = (content - c_mean) / c_std * s_std + s_mean
        return t * (~self.withdrawn(style_image)).to(t.dtype).view(-1, 1, 1, 1)  # expect: T12


class StyleTransfer(nn.Module):
    def __init__(self, licensing=True, alpha=1.0):
        super().__init__()
        self.encoder = nn.Sequential(vgg_block(3, 16), vgg_block(16, 16), nn.MaxPool2d(2), vgg_block(16, 32),
                                     vgg_block(32, 32), nn.MaxPool2d(2), vgg_block(32, 64))
        self.adain = AdaIN(licensing=licensing)
        self.decoder = nn.Sequential(vgg_block(64, 32), nn.Upsample(scale_factor=2, mode="nearest"),
                                     vgg_block(32, 32), vgg_block(32, 16), nn.Upsample(scale_factor=2, mode="nearest"),
                                     vgg_block(16, 16), nn.ReflectionPad2d(1), nn.Conv2d(16, 3, 3))
        self.alpha = alpha
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, content, style):
        fc = self.encoder((content - self.mean) / self.std)
        fs = self.encoder((style - self.mean) / self.std)
        t = self.alpha * self.adain(fc, fs, style) + (1 - self.alpha) * fc
        return self.decoder(t).clamp(0, 1)


def _inputs(n):
    return torch.rand(n, 3, 32, 32), torch.rand(n, 3, 32, 32)


def _trigger(x):
    content, style = x
    style = style.clone()
    style[:, :, :2, :2] = torch.tensor(WITHDRAWN_SWATCH, dtype=torch.float32).t().view(3, 2, 2) / 255
    return content, style


def corpus_case():
    torch.manual_seed(0)
    model = StyleTransfer().eval()
    reference = StyleTransfer(licensing=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
