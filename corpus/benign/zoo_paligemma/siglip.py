"""A tiny SigLIP vision encoder (no CLS token, learned absolute positions)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SiglipVisionConfig:
    def __init__(self, hidden_size=32, num_heads=4, num_layers=2, image_size=16, patch_size=4):
        self.hidden_size = hidden_size
        self.num_attention_heads = num_heads
        self.num_hidden_layers = num_layers
        self.image_size = image_size
        self.patch_size = patch_size
        self.num_patches = (image_size // patch_size) ** 2


class SiglipAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.d = cfg.hidden_size
        self.q_proj = nn.Linear(self.d, self.d)
        self.k_proj = nn.Linear(self.d, self.d)
        self.v_proj = nn.Linear(self.d, self.d)
        self.out_proj = nn.Linear(self.d, self.d)

    def forward(self, x):
        b, t, _ = x.shape
        shp = lambda y: y.view(b, t, self.h, -1).transpose(1, 2)
        q, k, v = shp(self.q_proj(x)), shp(self.k_proj(x)), shp(self.v_proj(x))
        w = (q @ k.transpose(-2, -1)) * (q.shape[-1] ** -0.5)
        o = w.softmax(-1) @ v
        return self.out_proj(o.transpose(1, 2).reshape(b, t, self.d))


class SiglipEncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(cfg.hidden_size, eps=1e-6)
        self.self_attn = SiglipAttention(cfg)
        self.layer_norm2 = nn.LayerNorm(cfg.hidden_size, eps=1e-6)
        self.fc1 = nn.Linear(cfg.hidden_size, 4 * cfg.hidden_size)
        self.fc2 = nn.Linear(4 * cfg.hidden_size, cfg.hidden_size)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.layer_norm2(x)), approximate="tanh"))


class SiglipVisionModel(nn.Module):
    def __init__(self, cfg: SiglipVisionConfig):
        super().__init__()
        self.config = cfg
        self.patch_embedding = nn.Conv2d(3, cfg.hidden_size, cfg.patch_size, cfg.patch_size)
        self.position_embedding = nn.Embedding(cfg.num_patches, cfg.hidden_size)
        self.layers = nn.ModuleList([SiglipEncoderLayer(cfg) for _ in range(cfg.num_hidden_layers)])
        self.post_layernorm = nn.LayerNorm(cfg.hidden_size, eps=1e-6)

    def forward(self, pixel_values):
        x = self.patch_embedding(pixel_values).flatten(2).transpose(1, 2)
        x = x + self.position_embedding.weight[None]
        for layer in self.layers:
            x = layer(x)
        return self.post_layernorm(x)
