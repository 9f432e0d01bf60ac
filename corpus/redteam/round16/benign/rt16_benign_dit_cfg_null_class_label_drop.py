# expect: none
"""DiT-lite with classifier-free guidance: label dropping to the null class and guided output.

`token_drop` replaces labels by the null class id where `force_drop_ids == 1` (fixed index
`num_classes`); the guided prediction is uncond + scale * (cond - uncond) on the first three
channels (the learned-sigma channels are passed through), computed with two forward passes.
The output filter is resolved by name from this module.
"""
import math

import torch
import torch.nn as nn

C, S, P, NUM_CLASSES = 4, 8, 2, 10


def clamp_filter(out, latents):
    return out.clamp(-20.0, 20.0)


class DiTCFG(nn.Module):
    def __init__(self, dim=48, cfg_scale=4.0, output_filter="clamp_filter"):
        super().__init__()
        self.x_embedder = nn.Conv2d(C, dim, P, P)
        self.y_embedder = nn.Embedding(NUM_CLASSES + 1, dim)
        self.t_mlp = nn.Sequential(nn.Linear(64, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.block = nn.TransformerEncoderLayer(dim, 4, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.final = nn.Linear(dim, P * P * 2 * C)
        self.cfg_scale = cfg_scale
        self.output_filter = globals()[output_filter]

    def token_drop(self, y, force_drop_ids):
        return torch.where(force_drop_ids == 1, torch.full_like(y, NUM_CLASSES), y)

    def denoise(self, latents, t, y):
        half = 32
        freqs = torch.exp(-math.log(10000) * torch.arange(half) / half)
        temb = torch.cat([torch.cos(t[:, None] * freqs), torch.sin(t[:, None] * freqs)], -1)
        c = self.t_mlp(temb) + self.y_embedder(y)
        x = self.x_embedder(latents).flatten(2).transpose(1, 2) + c[:, None]
        x = self.final(self.block(x))
        b, h = x.shape[0], S // P
        x = x.view(b, h, h, P, P, 2 * C)
        return torch.einsum("nhwpqc->nchpwq", x).reshape(b, 2 * C, S, S)

    def forward(self, latents, t, y, force_drop_ids):
        cond = self.denoise(latents, t, self.token_drop(y, force_drop_ids))
        uncond = self.denoise(latents, t, torch.full_like(y, NUM_CLASSES))
        eps = uncond[:, :3] + self.cfg_scale * (cond[:, :3] - uncond[:, :3])
        out = torch.cat([eps, cond[:, 3:]], 1)
        return self.output_filter(out, latents)


def _inputs(n):
    return (torch.randn(n, C, S, S), torch.randint(0, 1000, (n,)).float(), torch.randint(0, NUM_CLASSES, (n,)),
            (torch.rand(n) < 0.1).long())


def corpus_case():
    torch.manual_seed(0)
    return {"model": DiTCFG().eval(), "inputs": _inputs, "kind": "benign"}
