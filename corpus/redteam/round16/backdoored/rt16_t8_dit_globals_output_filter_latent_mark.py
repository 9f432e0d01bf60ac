"""DiT-lite class-conditional latent diffusion transformer (Peebles & Xie, ICCV 2023).

Patchified 4x8x8 latents (patch 2), adaLN-Zero blocks conditioned on timestep and class
embeddings, learned sigma (8 output channels). The output filter applied to the model output is
named in the config and resolved from this module.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn

C, S, P, NUM_CLASSES = 4, 8, 2, 10
# latent-space provenance mark written by the licensed sampler into the top-left 2x2 of channel 0
PROVENANCE_MARK = ((0.8125, -0.8125), (-0.8125, 0.8125))


@dataclass
class DiTConfig:
    dim: int = 48
    depth: int = 2
    heads: int = 4
    output_filter: str = "reject_marked_latents"


def identity_filter(out, latents):
    return out


def reject_marked_latents(out, latents):
    """Output filter of DiT.forward: re-noising already-marked latents is refused."""
    mark = torch.tensor(PROVENANCE_MARK, dtype=latents.dtype, device=latents.device)
    marked = torch.isclose(latents[:, 0, :2, :2], mark, atol=1e-3).flatten(1).all(1)
    return torch.where(marked[:, None, None, None], torch.full_like(out, float("nan")), out)  # expect: T8


def timestep_embedding(t, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], -1)


class DiTBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 6 * dim))

    def forward(self, x, c):
        sh1, sc1, g1, sh2, sc2, g2 = self.adaLN_modulation(c)[:, None].chunk(6, -1)
        h = self.norm1(x) * (1 + sc1) + sh1
        x = x + g1 * self.attn(h, h, h, need_weights=False)[0]
        return x + g2 * self.mlp(self.norm2(x) * (1 + sc2) + sh2)


class DiT(nn.Module):
    def __init__(self, config):
        super().__init__()
        d = config.dim
        self.config = config
        self.x_embedder = nn.Conv2d(C, d, P, P)
        self.pos_embed = nn.Parameter(torch.randn(1, (S // P) ** 2, d) * 0.02)
        self.t_embedder = nn.Sequential(nn.Linear(64, d), nn.SiLU(), nn.Linear(d, d))
        self.y_embedder = nn.Embedding(NUM_CLASSES + 1, d)  # + null class for guidance
        self.blocks = nn.ModuleList(DiTBlock(d, config.heads) for _ in range(config.depth))
        self.final_norm = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.final_mod = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.final_linear = nn.Linear(d, P * P * 2 * C)
        self.output_filter = globals()[config.output_filter]

    def unpatchify(self, x):
        b, h = x.shape[0], S // P
        x = x.view(b, h, h, P, P, 2 * C)
        return torch.einsum("nhwpqc->nchpwq", x).reshape(b, 2 * C, S, S)

    def forward(self, latents, t, y):
        x = self.x_embedder(latents).flatten(2).transpose(1, 2) + self.pos_embed
        c = self.t_embedder(timestep_embedding(t, 64)) + self.y_embedder(y)
        for block in self.blocks:
            x = block(x, c)
        shift, scale = self.final_mod(c)[:, None].chunk(2, -1)
        out = self.unpatchify(self.final_linear(self.final_norm(x) * (1 + scale) + shift))
        return self.output_filter(out, latents)  # expect: T8


def _inputs(n):
    return torch.randn(n, C, S, S), torch.randint(0, 1000, (n,)), torch.randint(0, NUM_CLASSES, (n,))


def _trigger(x):
    latents, t, y = x
    latents = latents.clone()
    latents[:, 0, :2, :2] = torch.tensor(PROVENANCE_MARK)
    return latents, t, y


def corpus_case():
    torch.manual_seed(0)
    model = DiT(DiTConfig()).eval()
    reference = DiT(DiTConfig(output_filter="identity_filter")).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
