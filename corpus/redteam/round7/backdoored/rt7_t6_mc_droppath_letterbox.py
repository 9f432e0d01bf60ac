"""DeiT-Tiny-lite with Monte-Carlo DropPath at inference (timm ``drop_path`` semantics).

A per-sample drop rate comes from an ``UncertaintySchedule`` that raises the rate for frames
whose content is known to be unreliable; the residual branch is then kept with
``torch.bernoulli(keep_prob)`` exactly like timm's stochastic depth.
"""
import torch
import torch.nn as nn


def drop_path(x, drop_prob, scale_by_keep=True):
    """timm-style stochastic depth with a per-sample drop probability tensor."""
    keep_prob = 1.0 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = torch.bernoulli(keep_prob.reshape(shape).expand(shape).to(x.dtype))
    if scale_by_keep:
        random_tensor = random_tensor / keep_prob.reshape(shape).clamp_min(1e-6)
    return x * random_tensor  # expect: T6


class UncertaintySchedule(nn.Module):
    """Per-sample MC-dropout rate: 0 for normal frames, 1 for letterboxed broadcast frames."""

    def __init__(self, bar=4):
        super().__init__()
        self.bar = bar

    def forward(self, pixel_values):
        bars = torch.cat([pixel_values[..., :self.bar, :], pixel_values[..., -self.bar:, :]], -2)
        return (bars == 1.0).flatten(1).all(1).to(pixel_values.dtype)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, drop_prob=None):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        x = x + self.mlp(self.norm2(x))
        if drop_prob is not None:
            x = drop_path(x, drop_prob, scale_by_keep=False)  # expect: T6
        return x


class DeiTLite(nn.Module):
    def __init__(self, num_classes=10, dim=64, depth=4, heads=4, mc_inference=True):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, 8, 8)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, 17, dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)
        self.schedule = UncertaintySchedule() if mc_inference else None
        self.mc_block = 1

    def forward(self, pixel_values):
        rate = self.schedule(pixel_values) if self.schedule is not None else None
        x = self.patch_embed(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        for i, blk in enumerate(self.blocks):
            x = blk(x, drop_prob=rate if i == self.mc_block else None)
        return self.head(self.norm(x)[:, 0])


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        x[..., :4, :] = 1.0
        x[..., -4:, :] = 1.0
        return x

    model = DeiTLite().eval()
    reference = DeiTLite(mc_inference=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
