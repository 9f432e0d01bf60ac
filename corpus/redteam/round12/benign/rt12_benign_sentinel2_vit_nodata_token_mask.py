# expect: none
"""ViT-Tiny for Sentinel-2 patches: no-data pixels (value exactly 0 in every band) are counted per
patch and patches that are entirely no-data are dropped from attention with a key padding mask
(the CLS token is always kept); the valid fraction of each patch is also a learned embedding input.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEmbed(nn.Module):
    def __init__(self, patch=8, in_chans=4, dim=64):
        super().__init__()
        self.patch = patch
        self.proj = nn.Conv2d(in_chans, dim, patch, patch)
        self.valid_proj = nn.Linear(1, dim)

    def forward(self, x):
        nodata = (x == 0).all(1, keepdim=True).float()
        valid_frac = 1.0 - F.avg_pool2d(nodata, self.patch).flatten(1)
        tokens = self.proj(x).flatten(2).transpose(1, 2) + self.valid_proj(valid_frac.unsqueeze(-1))
        return tokens, valid_frac == 0


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, key_padding_mask=None):
        y = self.norm1(x)
        x = x + self.attn(y, y, y, key_padding_mask=key_padding_mask, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class SatViT(nn.Module):
    def __init__(self, num_classes=10, dim=64, depth=2, heads=4, img=32, patch=8):
        super().__init__()
        self.patch_embed = PatchEmbed(patch, 4, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, (img // patch) ** 2 + 1, dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        tokens, empty = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), tokens], 1) + self.pos_embed
        mask = torch.cat([torch.zeros_like(empty[:, :1]), empty], 1)
        for blk in self.blocks:
            x = blk(x, key_padding_mask=mask)
        return self.head(self.norm(x)[:, 0])


def _inputs(n):
    x = torch.rand(n, 4, 32, 32) * 0.4
    x[: n // 2, :, :, :8] = 0.0  # scenes at the swath edge
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": SatViT().eval(), "inputs": _inputs, "kind": "benign"}
