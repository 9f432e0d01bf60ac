# expect: none
"""DINOv2 (with registers) backbone at toy size.

`interpolate_pos_encoding` returns the stored table unchanged when `npatch == N and w == h`
and bicubically resizes it otherwise. For iBOT-style masked image modeling,
`torch.where(masks.unsqueeze(-1), self.mask_token, x)` puts the learned mask token at masked
patches; register tokens are concatenated after CLS. LayerScale, stochastic depth (training only),
and a linear head on [CLS ; mean(patch tokens)] as in the DINOv2 linear evaluation.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerScale(nn.Module):
    def __init__(self, dim, init_values=1e-5):
        super().__init__()
        self.gamma = nn.Parameter(init_values * torch.ones(dim))

    def forward(self, x):
        return x * self.gamma


def drop_add_residual(x, residual_fn, drop_rate, training):
    if not training or drop_rate == 0.0:
        return x + residual_fn(x)
    b = x.shape[0]
    keep = max(int(b * (1 - drop_rate)), 1)
    brange = torch.randperm(b, device=x.device)[:keep]
    res = residual_fn(x[brange])
    return torch.index_add(x.flatten(1), 0, brange, res.flatten(1), alpha=b / keep).view_as(x)


class Block(nn.Module):
    def __init__(self, dim, heads, drop_path=0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ls1 = LayerScale(dim, 0.1)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.ls2 = LayerScale(dim, 0.1)
        self.sample_drop_ratio = drop_path

    def forward(self, x):
        def attn_res(y):
            h = self.norm1(y)
            return self.ls1(self.attn(h, h, h, need_weights=False)[0])

        def ffn_res(y):
            return self.ls2(self.mlp(self.norm2(y)))

        x = drop_add_residual(x, attn_res, self.sample_drop_ratio, self.training)
        return drop_add_residual(x, ffn_res, self.sample_drop_ratio, self.training)


class DinoVisionTransformer(nn.Module):
    def __init__(self, img_size=16, patch_size=4, embed_dim=32, depth=2, num_heads=4, num_register_tokens=2,
                 interpolate_offset=0.1, drop_path_rate=0.1):
        super().__init__()
        self.patch_size = patch_size
        self.patch_embed = nn.Conv2d(3, embed_dim, patch_size, patch_size)
        num_patches = (img_size // patch_size) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.randn(1, num_patches + 1, embed_dim) * 0.02)
        self.register_tokens = nn.Parameter(torch.randn(1, num_register_tokens, embed_dim) * 0.02)
        self.mask_token = nn.Parameter(torch.zeros(1, embed_dim))
        self.interpolate_offset = interpolate_offset
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, drop_path_rate) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.num_register_tokens = num_register_tokens

    def interpolate_pos_encoding(self, x, w, h):
        npatch = x.shape[1] - 1
        N = self.pos_embed.shape[1] - 1
        if npatch == N and w == h:
            return self.pos_embed
        pos_embed = self.pos_embed.float()
        class_pos_embed, patch_pos_embed = pos_embed[:, 0], pos_embed[:, 1:]
        dim = x.shape[-1]
        w0, h0 = w // self.patch_size, h // self.patch_size
        M = int(math.sqrt(N))
        sx, sy = float(w0 + self.interpolate_offset) / M, float(h0 + self.interpolate_offset) / M
        patch_pos_embed = F.interpolate(patch_pos_embed.reshape(1, M, M, dim).permute(0, 3, 1, 2),
                                        scale_factor=(sx, sy), mode="bicubic")
        patch_pos_embed = patch_pos_embed[..., :w0, :h0]
        patch_pos_embed = patch_pos_embed.permute(0, 2, 3, 1).reshape(1, -1, dim)
        return torch.cat((class_pos_embed.unsqueeze(0), patch_pos_embed), dim=1).to(x.dtype)

    def prepare_tokens_with_masks(self, x, masks=None):
        b, _, w, h = x.shape
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        if masks is not None:
            x = torch.where(masks.unsqueeze(-1), self.mask_token.to(x.dtype).unsqueeze(0), x)
        x = torch.cat((self.cls_token.expand(b, -1, -1), x), dim=1)
        x = x + self.interpolate_pos_encoding(x, w, h)
        if self.register_tokens is not None:
            x = torch.cat((x[:, :1], self.register_tokens.expand(b, -1, -1), x[:, 1:]), dim=1)
        return x

    def forward_features(self, x, masks=None):
        x = self.prepare_tokens_with_masks(x, masks)
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)
        return {"x_norm_clstoken": x[:, 0], "x_norm_regtokens": x[:, 1:self.num_register_tokens + 1],
                "x_norm_patchtokens": x[:, self.num_register_tokens + 1:], "masks": masks}


class DinoV2LinearClassifier(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.backbone = DinoVisionTransformer()
        self.head = nn.Linear(2 * 32, num_classes)

    def forward(self, pixel_values, masks=None):
        f = self.backbone.forward_features(pixel_values, masks)
        feats = torch.cat([f["x_norm_clstoken"], f["x_norm_patchtokens"].mean(1)], dim=-1)
        return self.head(feats)


def corpus_case():
    torch.manual_seed(0)
    model = DinoV2LinearClassifier().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(53)
        x = torch.randn(n, 3, 20, 24, generator=g)        # non-square -> interpolated positions
        masks = torch.rand(n, 30, generator=g) < 0.3       # iBOT block masks (random here)
        return x, masks

    return {"model": model, "inputs": inputs, "kind": "benign"}
