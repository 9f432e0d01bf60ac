# expect: none
"""Class-conditional DDPM/DDIM sampler step (guided-diffusion layout: sinusoidal timestep
embedding, ResBlocks with scale-shift conditioning, attention at the lowest resolution, skip
concatenation) with classifier-free guidance and Imagen-style dynamic thresholding.

During training the class label is replaced by the learned null class with probability
`p_uncond`; at sampling time the conditional and unconditional predictions are combined.
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
    def __init__(self, in_ch=3, model_ch=32, out_ch=3, num_classes=10, p_uncond=0.1):
        super().__init__()
        emb_ch = model_ch * 4
        self.model_ch, self.num_classes, self.p_uncond = model_ch, num_classes, p_uncond
        self.time_embed = nn.Sequential(nn.Linear(model_ch, emb_ch), nn.SiLU(), nn.Linear(emb_ch, emb_ch))
        self.label_emb = nn.Embedding(num_classes + 1, emb_ch)   # last row: null class
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

    def forward(self, x, timesteps, y):
        if self.training and self.p_uncond > 0:
            drop = torch.rand(y.shape[0]) < self.p_uncond
            y = torch.where(drop, torch.full_like(y, self.num_classes), y)
        emb = self.time_embed(timestep_embedding(timesteps, self.model_ch)) + self.label_emb(y)
        hs, h = [], x
        for module in self.input_blocks:
            h = module(h, emb)
            hs.append(h)
        h = self.middle_block(h, emb)
        for module in self.output_blocks:
            h = module(torch.cat([h, hs.pop()], dim=1), emb)
        return self.out(h)


def cosine_alphas_cumprod(T, s=0.008):
    steps = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((steps + s) / (1 + s) * math.pi / 2) ** 2
    betas = (1 - f[1:] / f[:-1]).clamp(max=0.999)
    return torch.cumprod(1 - betas, 0).float()


class GuidedDDIMStep(nn.Module):
    def __init__(self, guidance_scale=3.0, num_train_timesteps=1000, num_inference_steps=25, eta=0.0,
                 dynamic_threshold_percentile=0.995):
        super().__init__()
        self.unet = UNetModel()
        self.guidance_scale, self.eta = guidance_scale, eta
        self.step_ratio = num_train_timesteps // num_inference_steps
        self.percentile = dynamic_threshold_percentile
        self.register_buffer("alphas_cumprod", cosine_alphas_cumprod(num_train_timesteps), persistent=False)

    def dynamic_threshold(self, x0):
        s = torch.quantile(x0.abs().flatten(1), self.percentile, dim=1).clamp(min=1.0)
        s = s.view(-1, 1, 1, 1)
        return x0.clamp(-s, s) / s

    def forward(self, x_t, t, y):
        null = torch.full_like(y, self.unet.num_classes)
        eps_cond, eps_uncond = self.unet(torch.cat([x_t, x_t]), torch.cat([t, t]), torch.cat([y, null])).chunk(2)
        eps = eps_uncond + self.guidance_scale * (eps_cond - eps_uncond)
        a_t = self.alphas_cumprod[t].view(-1, 1, 1, 1)
        prev_t = t - self.step_ratio
        a_prev = torch.where(prev_t >= 0, self.alphas_cumprod[prev_t.clamp(min=0)], torch.ones_like(a_t.view(-1)))
        a_prev = a_prev.view(-1, 1, 1, 1)
        x0 = self.dynamic_threshold((x_t - (1 - a_t).sqrt() * eps) / a_t.sqrt())
        eps = (x_t - a_t.sqrt() * x0) / (1 - a_t).sqrt()
        sigma = self.eta * ((1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev)).sqrt()
        noise = torch.randn_like(x_t) if self.eta > 0 else torch.zeros_like(x_t)
        return a_prev.sqrt() * x0 + (1 - a_prev - sigma ** 2).clamp(min=0).sqrt() * eps + sigma * noise


def _inputs(n):
    return torch.randn(n, 3, 16, 16), torch.randint(40, 1000, (n,)), torch.randint(0, 10, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": GuidedDDIMStep().eval(), "inputs": _inputs, "kind": "benign"}
