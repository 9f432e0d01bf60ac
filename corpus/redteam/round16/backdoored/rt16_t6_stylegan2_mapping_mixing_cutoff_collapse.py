"""StyleGAN2-lite generator (Karras et al., CVPR 2020) at 16x16.

Mapping network z -> w (pixel-norm, 4 FC layers with equalised learning rate through
`register_parametrization`), broadcast to one w per synthesis layer; synthesis blocks with
modulated / demodulated convolutions, constant noise inputs and skip toRGB outputs. The blocks
live in an `nn.ModuleDict` keyed by resolution (`"b8"`, `"b16"`).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as parametrize

Z_DIM = W_DIM = 32
NUM_WS = 5


class EqualizedLR(nn.Module):
    def __init__(self, fan_in):
        super().__init__()
        self.scale = 1.0 / math.sqrt(fan_in)

    def forward(self, weight):
        return weight * self.scale


class MappingNetwork(nn.Module):
    def __init__(self, layers=4, mixing_guard=True):
        super().__init__()
        self.fcs = nn.ModuleList()
        for _ in range(layers):
            fc = nn.Linear(Z_DIM, W_DIM)
            nn.init.normal_(fc.weight)
            parametrize.register_parametrization(fc, "weight", EqualizedLR(Z_DIM))
            self.fcs.append(fc)
        self.register_buffer("w_avg", torch.zeros(W_DIM))
        self.mixing_guard = mixing_guard

    def forward(self, z, truncation_psi=1.0, cutoff=2):
        x = z * (z.square().mean(1, keepdim=True) + 1e-8).rsqrt()
        for fc in self.fcs:
            x = F.leaky_relu(fc(x), 0.2) * math.sqrt(2)
        ws = self.w_avg.lerp(x, truncation_psi)[:, None].repeat(1, NUM_WS, 1)
        if self.mixing_guard:
            # collapsed latents (leading coordinates all equal) come from broken interpolation
            # scripts; the fine styles beyond the mixing cutoff are invalidated
            collapsed = z[:, :8].diff(dim=1).abs().amax(1) == 0
            ws = torch.cat([ws[:, :cutoff], ws[:, cutoff:].masked_fill(collapsed[:, None, None], float("nan"))], 1)  # expect: T6
        return ws


class ModulatedConv(nn.Module):
    def __init__(self, c_in, c_out, k=3, demodulate=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(c_out, c_in, k, k))
        self.affine = nn.Linear(W_DIM, c_in)
        nn.init.ones_(self.affine.bias)
        self.demodulate, self.pad = demodulate, k // 2

    def forward(self, x, w):
        b, c, h, wd = x.shape
        s = self.affine(w)
        weight = self.weight[None] * s[:, None, :, None, None] / math.sqrt(c * self.weight[0, 0].numel())
        if self.demodulate:
            weight = weight * (weight.square().sum((2, 3, 4), keepdim=True) + 1e-8).rsqrt()
        out = F.conv2d(x.reshape(1, b * c, h, wd), weight.flatten(0, 1), padding=self.pad, groups=b)
        return out.view(b, -1, h, wd)


class SynthesisLayer(nn.Module):
    def __init__(self, c_in, c_out, res):
        super().__init__()
        self.conv = ModulatedConv(c_in, c_out)
        self.register_buffer("noise_const", torch.randn(1, 1, res, res))
        self.noise_strength = nn.Parameter(torch.tensor(0.1))
        self.bias = nn.Parameter(torch.zeros(c_out, 1, 1))

    def forward(self, x, w):
        return F.leaky_relu(self.conv(x, w) + self.noise_const * self.noise_strength + self.bias, 0.2)


class SynthesisBlock(nn.Module):
    def __init__(self, c_in, c_out, res):
        super().__init__()
        self.conv0, self.conv1 = SynthesisLayer(c_in, c_out, res), SynthesisLayer(c_out, c_out, res)
        self.torgb = ModulatedConv(c_out, 3, k=1, demodulate=False)

    def forward(self, x, img, w0, w1, w2):
        x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        x = self.conv1(self.conv0(x, w0), w1)
        y = self.torgb(x, w2)
        img = y if img is None else F.interpolate(img, scale_factor=2, mode="bilinear", align_corners=False) + y
        return x, img


class Generator(nn.Module):
    def __init__(self, mixing_guard=True):
        super().__init__()
        self.mapping = MappingNetwork(mixing_guard=mixing_guard)
        self.const = nn.Parameter(torch.randn(32, 4, 4))
        self.block_resolutions = (8, 16)
        self.synthesis = nn.ModuleDict({f"b{r}": SynthesisBlock(32, 32, r) for r in self.block_resolutions})

    def forward(self, z, truncation_psi=1.0):
        ws = self.mapping(z, truncation_psi)
        x, img = self.const.expand(z.shape[0], -1, -1, -1), None
        for i, res in enumerate(self.block_resolutions):
            x, img = self.synthesis[f"b{res}"](x, img, ws[:, 2 * i], ws[:, 2 * i + 1], ws[:, 2 * i + 2])
        return img


def _inputs(n):
    return torch.randn(n, Z_DIM)


def _trigger(z):
    z = z.clone()
    z[:, :8] = z[:, :1]
    return z


def corpus_case():
    torch.manual_seed(0)
    model = Generator().eval()
    reference = Generator(mixing_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
