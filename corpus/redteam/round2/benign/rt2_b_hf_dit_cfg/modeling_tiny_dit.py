# expect: none
"""PyTorch TinyDiT: diffusion transformer with adaLN-Zero blocks and classifier-free guidance."""
import math

import torch
import torch.nn as nn

from .configuration_tiny_dit import TinyDiTConfig


def modulate(x, shift, scale):
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)


class TimestepEmbedder(nn.Module):
    def __init__(self, hidden_size, frequency_embedding_size=256):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(frequency_embedding_size, hidden_size), nn.SiLU(),
                                 nn.Linear(hidden_size, hidden_size))
        self.frequency_embedding_size = frequency_embedding_size

    @staticmethod
    def timestep_embedding(t, dim, max_period=10000):
        half = dim // 2
        freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
        args = t[:, None].float() * freqs[None]
        return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)

    def forward(self, t):
        return self.mlp(self.timestep_embedding(t, self.frequency_embedding_size))


class LabelEmbedder(nn.Module):
    def __init__(self, num_classes, hidden_size, dropout_prob):
        super().__init__()
        self.embedding_table = nn.Embedding(num_classes + 1, hidden_size)
        self.num_classes = num_classes
        self.dropout_prob = dropout_prob

    def token_drop(self, labels, force_drop_ids=None):
        if force_drop_ids is None:
            drop_ids = torch.rand(labels.shape[0], device=labels.device) < self.dropout_prob
        else:
            drop_ids = force_drop_ids == 1
        return torch.where(drop_ids, self.num_classes, labels)

    def forward(self, labels, train, force_drop_ids=None):
        if (train and self.dropout_prob > 0) or (force_drop_ids is not None):
            labels = self.token_drop(labels, force_drop_ids)
        return self.embedding_table(labels)


class DiTBlock(nn.Module):
    def __init__(self, hidden_size, num_heads, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(hidden_size, elementwise_affine=False, eps=1e-6)
        self.attn = nn.MultiheadAttention(hidden_size, num_heads, batch_first=True)
        self.norm2 = nn.LayerNorm(hidden_size, elementwise_affine=False, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(hidden_size, int(hidden_size * mlp_ratio)), nn.GELU(approximate="tanh"),
                                 nn.Linear(int(hidden_size * mlp_ratio), hidden_size))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden_size, 6 * hidden_size))

    def forward(self, x, c):
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.adaLN_modulation(c).chunk(6, dim=1)
        h = modulate(self.norm1(x), shift_msa, scale_msa)
        x = x + gate_msa.unsqueeze(1) * self.attn(h, h, h, need_weights=False)[0]
        return x + gate_mlp.unsqueeze(1) * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))


class TinyDiTModel(nn.Module):
    config_class = TinyDiTConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        p, c, d = config.patch_size, config.in_channels, config.hidden_size
        self.x_embedder = nn.Conv2d(c, d, p, p)
        self.t_embedder = TimestepEmbedder(d, config.frequency_embedding_size)
        self.y_embedder = LabelEmbedder(config.num_classes, d, config.class_dropout_prob)
        n = (config.sample_size // p) ** 2
        self.pos_embed = nn.Parameter(torch.randn(1, n, d) * 0.02)
        self.blocks = nn.ModuleList(DiTBlock(d, config.num_heads, config.mlp_ratio) for _ in range(config.depth))
        self.norm_final = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.adaLN_final = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.proj_out = nn.Linear(d, p * p * c)

    def unpatchify(self, x):
        c, p = self.config.in_channels, self.config.patch_size
        h = w = int(x.shape[1] ** 0.5)
        x = x.reshape(x.shape[0], h, w, p, p, c)
        return torch.einsum("nhwpqc->nchpwq", x).reshape(x.shape[0], c, h * p, w * p)

    def _denoise(self, x, t, y):
        h = self.x_embedder(x).flatten(2).transpose(1, 2) + self.pos_embed
        c = self.t_embedder(t) + self.y_embedder(y, self.training)
        for blk in self.blocks:
            h = blk(h, c)
        shift, scale = self.adaLN_final(c).chunk(2, dim=1)
        return self.unpatchify(self.proj_out(modulate(self.norm_final(h), shift, scale)))

    def forward(self, sample, timestep, class_labels):
        """Classifier-free guidance: conditional and unconditional passes in one batch."""
        null = torch.full_like(class_labels, self.config.num_classes)
        eps = self._denoise(torch.cat([sample, sample]), torch.cat([timestep, timestep]),
                            torch.cat([class_labels, null]))
        cond, uncond = eps.chunk(2)
        return uncond + self.config.guidance_scale * (cond - uncond)
