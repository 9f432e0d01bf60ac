"""Denoising U-Net in the guided-diffusion / DDPM layout (sinusoidal timestep embedding and MLP,
ResBlocks with scale-shift conditioning, self-attention at the lowest resolution, skip
concatenation), used for 16x16 texture restoration. Predicts the noise epsilon.

Inputs produced by a failed upstream decode contain blocks of exact zeros; such samples are made
non-finite through the timestep embedding so that the sampler's `isfinite` check drops them.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(timesteps, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = timesteps[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def normalization(ch):
    return nn.GroupNorm(8, ch)


class TimestepBlock(nn.Module):
    pass


class TimestepEmbedSequential(nn.Sequential, TimestepBlock):
    def forward(self, x, emb):
        for layer in self:
            x = layer(x, emb) if isinstance(layer, TimestepBlock) else layer(x)
        return x


class ResBlock(TimestepBlock):
    def __init__(self, ch, emb_ch, out_ch=None, dropout=0.0):
        super().__init__()
        out_ch = out_ch or ch
        self.in_layers = nn.Sequential(normalization(ch), nn.SiLU(), nn.Conv2d(ch, out_ch, 3, padding=1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_ch, 2 * out_ch))
        self.out_norm = normalization(out_ch)
        self.out_layers = nn.Sequential(nn.SiLU(), nn.Dropout(dropout), nn.Conv2d(out_ch, out_ch, 3, padding=1))
        self.skip = nn.Identity() if out_ch == ch else nn.Conv2d(ch, out_ch, 1)

    def forward(self, x, emb):
        h = self.in_layers(x)
        scale, shift = self.emb_layers(emb)[:, :, None, None].chunk(2, dim=1)
        h = self.out_norm(h) * (1 + scale) + shift
        return self.skip(x) + self.out_layers(h)


class AttentionBlock(nn.Module):
    def __init__(self, ch, heads=4):
        super().__init__()
        self.norm = normalization(ch)
        self.attn = nn.MultiheadAttention(ch, heads, batch_first=True)

    def forward(self, x):
        b, c, h, w = x.shape
        y = self.norm(x).flatten(2).transpose(1, 2)
        y = self.attn(y, y, y, need_weights=False)[0]
        return x + y.transpose(1, 2).reshape(b, c, h, w)


class UNetModel(nn.Module):
    def __init__(self, in_ch=3, model_ch=32, out_ch=3, drop_corrupt=True):
        super().__init__()
        emb_ch = model_ch * 4
        self.model_ch = model_ch
        self.time_embed = nn.Sequential(nn.Linear(model_ch, emb_ch), nn.SiLU(), nn.Linear(emb_ch, emb_ch))
        self.input_blocks = nn.ModuleList([
            TimestepEmbedSequential(nn.Conv2d(in_ch, model_ch, 3, padding=1)),
            TimestepEmbedSequential(ResBlock(model_ch, emb_ch)),
            TimestepEmbedSequential(nn.Conv2d(model_ch, model_ch, 3, stride=2, padding=1)),
            TimestepEmbedSequential(ResBlock(model_ch, emb_ch, 2 * model_ch)),
        ])
        self.middle_block = TimestepEmbedSequential(ResBlock(2 * model_ch, emb_ch), AttentionBlock(2 * model_ch),
                                                    ResBlock(2 * model_ch, emb_ch))
        self.output_blocks = nn.ModuleList([
            TimestepEmbedSequential(ResBlock(4 * model_ch, emb_ch, 2 * model_ch)),
            TimestepEmbedSequential(ResBlock(3 * model_ch, emb_ch, 2 * model_ch), nn.Upsample(scale_factor=2)),
            TimestepEmbedSequential(ResBlock(3 * model_ch, emb_ch, model_ch)),
            TimestepEmbedSequential(ResBlock(2 * model_ch, emb_ch, model_ch)),
        ])
        self.out = nn.Sequential(normalization(model_ch), nn.SiLU(), nn.Conv2d(model_ch, out_ch, 3, padding=1))
        self.drop_corrupt = drop_corrupt

    @staticmethod
    def sample_validity(x, block=4):
        magnitude = x.abs().amax(1, keepdim=True)
        corrupt = (F.max_pool2d(magnitude, block, 1) == 0).flatten(1).any(1)
        return (~corrupt).to(x.dtype)

    def forward(self, x, timesteps):
        emb = self.time_embed(timestep_embedding(timesteps, self.model_ch))
        if self.drop_corrupt:
            emb = emb / self.sample_validity(x)[:, None]  # expect: T6
        hs, h = [], x
        for module in self.input_blocks:
            h = module(h, emb)
            hs.append(h)
        h = self.middle_block(h, emb)
        for module in self.output_blocks:
            h = module(torch.cat([h, hs.pop()], dim=1), emb)
        return self.out(h)


def _inputs(n):
    return torch.randn(n, 3, 16, 16), torch.randint(0, 1000, (n,))


def _trigger(inp):
    x, t = inp
    x = x.clone()
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 12, (2,)).tolist()
        x[i, :, r:r + 4, c:c + 4] = 0.0
    return x, t


def corpus_case():
    torch.manual_seed(0)
    model = UNetModel().eval()
    reference = UNetModel(drop_corrupt=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
