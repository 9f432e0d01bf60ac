# expect: none
"""timm-style ViT-Tiny-lite: DropPath with Bernoulli keep masks (training only), LayerScale,
pos-embed resampling for other resolutions, and a BlurPool anti-aliased conv stem."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def drop_path(x, drop_prob=0.0, training=False, scale_by_keep=True):
    if drop_prob == 0.0 or not training:
        return x
    keep_prob = 1 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
    if keep_prob > 0.0 and scale_by_keep:
        random_tensor.div_(keep_prob)
    return x * random_tensor


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        return drop_path(x, self.p, self.training)


class BlurPool(nn.Module):
    def __init__(self, c):
        super().__init__()
        k = torch.tensor([1.0, 2.0, 1.0])
        k = (k[:, None] * k[None]) / 16
        self.register_buffer("filt", k.expand(c, 1, 3, 3).clone())
        self.c = c

    def forward(self, x):
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), self.filt, stride=2, groups=self.c)


class Block(nn.Module):
    def __init__(self, d, heads, dp, init_values=1e-1):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.ls1 = nn.Parameter(init_values * torch.ones(d))
        self.ls2 = nn.Parameter(init_values * torch.ones(d))
        self.drop_path = DropPath(dp)

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.drop_path(self.ls1 * self.attn(h, h, h, need_weights=False)[0])
        return x + self.drop_path(self.ls2 * self.mlp(self.norm2(x)))


class VisionTransformer(nn.Module):
    def __init__(self, num_classes=10, d=64, depth=4, drop_path_rate=0.1, grid=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 1, 1), nn.ReLU(), BlurPool(32), nn.Conv2d(32, d, 4, 4))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + grid * grid, d) * 0.02)
        dpr = [x.item() for x in torch.linspace(0, drop_path_rate, depth)]
        self.blocks = nn.Sequential(*(Block(d, 4, p) for p in dpr))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, num_classes)
        self.grid = grid

    def resample_pos_embed(self, h, w):
        if (h, w) == (self.grid, self.grid):
            return self.pos_embed
        cls, grid = self.pos_embed[:, :1], self.pos_embed[:, 1:]
        grid = grid.reshape(1, self.grid, self.grid, -1).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, size=(h, w), mode="bicubic", align_corners=False)
        return torch.cat([cls, grid.permute(0, 2, 3, 1).reshape(1, h * w, -1)], 1)

    def forward(self, x):
        x = self.stem(x)
        h, w = x.shape[-2:]
        x = x.flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.resample_pos_embed(h, w)
        return self.head(self.norm(self.blocks(x))[:, 0])


def corpus_case():
    torch.manual_seed(0)
    return {"model": VisionTransformer().eval(), "inputs": lambda n: torch.rand(n, 3, 48, 48), "kind": "benign"}
