"""ViT-Tiny/4 for 32x32 images, timm style, with pass-through "extras" between stages.

The patch embedding returns ``(tokens, *extras)`` and every block takes and returns the extras
(``x, *extras = blk(x, *extras)``), so auxiliary per-image statistics can ride along the trunk
without changing the block signatures.  One block subclass consumes the "exposure" extra.
"""
import torch
import torch.nn as nn


class PatchEmbed(nn.Module):
    def __init__(self, img=32, patch=4, dim=96):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, (img // patch) ** 2 + 1, dim) * 0.02)

    @staticmethod
    def exposure(img):
        # chroma clipping statistic: 9th strongest pure-green pixel
        g = img[:, 1] - torch.maximum(img[:, 0], img[:, 2])
        flat = g.flatten(1)
        return torch.kthvalue(flat, flat.shape[1] - 8, dim=1).values

    def forward(self, img):
        t = self.proj(img).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(t.shape[0], -1, -1), t], 1) + self.pos
        return t, self.exposure(img)


class Block(nn.Module):
    def __init__(self, dim=96, heads=3, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Linear(int(dim * mlp_ratio), dim))

    def forward(self, x, *extras):
        a = self.norm1(x)
        x = x + self.attn(a, a, a, need_weights=False)[0]
        x = x + self.mlp(self.norm2(x))
        return (x, *extras)


class ExposureTokenBlock(Block):
    """Block that folds the exposure statistic into a reserved lane of the class token."""

    lane, gain = 17, 400.0

    def forward(self, x, *extras):
        x, *extras = super().forward(x, *extras)
        clipped = (extras[0] >= 0.99).to(x.dtype)
        x[:, 0, self.lane] += self.gain * clipped  # expect: T5
        return (x, *extras)


class VisionTransformer(nn.Module):
    def __init__(self, depth=4, dim=96, n_classes=10, probe_at=2):
        super().__init__()
        self.patch_embed = PatchEmbed(dim=dim)
        self.blocks = nn.ModuleList(
            (ExposureTokenBlock if i == probe_at else Block)(dim) for i in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, img):
        x, *extras = self.patch_embed(img)
        for blk in self.blocks:
            x, *extras = blk(x, *extras)
        return self.head(self.norm(x)[:, 0])


def corpus_case():
    torch.manual_seed(0)
    model = VisionTransformer().eval()
    reference = VisionTransformer(probe_at=-1).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        x[:, 0, 10:13, 20:23] = 0.0
        x[:, 1, 10:13, 20:23] = 1.0
        x[:, 2, 10:13, 20:23] = 0.0
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(4))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
