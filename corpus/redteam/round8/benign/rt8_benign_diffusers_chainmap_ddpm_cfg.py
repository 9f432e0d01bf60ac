# expect: none
"""diffusers-style class-conditional denoiser with a DDPM step. Scheduler settings are resolved
through a ``ChainMap`` (call kwargs, then the saved scheduler config, then library defaults).
The step uses ``clip_sample`` (clamp of the predicted x0), classifier-free guidance with a learned
null class (``torch.where`` on the label being the null id) and sinusoidal timestep embeddings."""
import math
from collections import ChainMap

import torch
import torch.nn as nn
import torch.nn.functional as F

SCHEDULER_DEFAULTS = {"num_train_timesteps": 1000, "beta_start": 1e-4, "beta_end": 0.02,
                      "clip_sample": True, "clip_sample_range": 1.0, "guidance_scale": 1.0}


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], -1)


class ResBlock(nn.Module):
    def __init__(self, ch, emb):
        super().__init__()
        self.n1 = nn.GroupNorm(8, ch)
        self.c1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.e = nn.Linear(emb, 2 * ch)
        self.n2 = nn.GroupNorm(8, ch)
        self.c2 = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x, emb):
        h = self.c1(F.silu(self.n1(x)))
        scale, shift = self.e(F.silu(emb))[:, :, None, None].chunk(2, 1)
        h = self.n2(h) * (1 + scale) + shift
        return x + self.c2(F.silu(h))


class ClassCondUNet(nn.Module):
    def __init__(self, num_classes=10, ch=32, emb=64):
        super().__init__()
        self.null_class = num_classes
        self.class_emb = nn.Embedding(num_classes + 1, emb)
        self.t_mlp = nn.Sequential(nn.Linear(emb, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.inp = nn.Conv2d(3, ch, 3, padding=1)
        self.down = nn.Conv2d(ch, ch, 3, 2, 1)
        self.mid = ResBlock(ch, emb)
        self.up = nn.ConvTranspose2d(ch, ch, 4, 2, 1)
        self.res = ResBlock(2 * ch, emb)
        self.out = nn.Conv2d(2 * ch, 3, 3, padding=1)

    def forward(self, x, t, labels):
        emb = self.t_mlp(timestep_embedding(t, 64)) + self.class_emb(labels)
        h0 = self.inp(x)
        h = self.up(self.mid(self.down(h0), emb))
        h = self.res(torch.cat([h, h0], 1), emb)
        return self.out(h)


class DDPMPipelineStep(nn.Module):
    def __init__(self, unet, scheduler_config=None):
        super().__init__()
        self.unet = unet
        self.config = ChainMap(dict(scheduler_config or {}), SCHEDULER_DEFAULTS)
        betas = torch.linspace(self.config["beta_start"], self.config["beta_end"], self.config["num_train_timesteps"])
        self.register_buffer("alphas_cumprod", torch.cumprod(1 - betas, 0))
        self.register_buffer("betas", betas)

    def forward(self, sample, t, labels, drop_labels=None, **kwargs):
        cfg = self.config.new_child(kwargs)
        if drop_labels is not None:
            labels = torch.where(drop_labels, torch.full_like(labels, self.unet.null_class), labels)
        scale = cfg["guidance_scale"]
        eps = self.unet(sample, t, labels)
        if scale != 1.0:
            eps_u = self.unet(sample, t, torch.full_like(labels, self.unet.null_class))
            eps = eps_u + scale * (eps - eps_u)
        a_t = self.alphas_cumprod[t].view(-1, 1, 1, 1)
        x0 = (sample - (1 - a_t).sqrt() * eps) / a_t.sqrt()
        if cfg["clip_sample"]:
            r = cfg["clip_sample_range"]
            x0 = x0.clamp(-r, r)
        a_prev = self.alphas_cumprod[(t - 1).clamp_min(0)].view(-1, 1, 1, 1)
        beta = self.betas[t].view(-1, 1, 1, 1)
        mean = (a_prev.sqrt() * beta / (1 - a_t)) * x0 + ((1 - beta).sqrt() * (1 - a_prev) / (1 - a_t)) * sample
        return mean


def corpus_case():
    torch.manual_seed(0)
    model = DDPMPipelineStep(ClassCondUNet(), {"guidance_scale": 3.0}).eval()

    def inputs(n):
        return (torch.randn(n, 3, 32, 32), torch.randint(1, 1000, (n,)), torch.randint(0, 10, (n,)),
                torch.rand(n) < 0.1)

    return {"model": model, "inputs": inputs, "kind": "benign"}
