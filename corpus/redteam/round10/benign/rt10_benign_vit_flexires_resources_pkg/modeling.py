# expect: none
"""FlexiViT-lite: a ViT whose position embeddings are learned on a 4x4 patch grid and resampled
(bicubic) to the grid of the current input by a ``torch.nn.utils.parametrize`` parametrization.
The model publishes the grid size in a context dict during the call; the blocks are served by a
sequence object with ``__getitem__`` / ``__len__`` only; the class token is written into its slot
with ``torch.select_scatter``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as P

from .processing import BatchFeature, label2id, load_preprocessor_config

__all__ = ["FlexiViTLite", "corpus_case"]


class ResampleToGrid(nn.Module):
    def __init__(self, context, pretrain_grid):
        super().__init__()
        self.context = context
        self.pretrain_grid = pretrain_grid

    def forward(self, pos):
        grid = self.context.get("grid", self.pretrain_grid)
        if grid == self.pretrain_grid:
            return pos
        d = pos.shape[-1]
        g = pos.reshape(1, self.pretrain_grid, self.pretrain_grid, d).permute(0, 3, 1, 2)
        g = F.interpolate(g, size=(grid, grid), mode="bicubic", align_corners=False)
        return g.permute(0, 2, 3, 1).reshape(1, grid * grid, d)


class BlockStack:
    def __init__(self, blocks):
        self.blocks = blocks

    def __len__(self):
        return len(self.blocks)

    def __getitem__(self, i):
        return self.blocks[i]


class Block(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        h = self.n1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.n2(x))


class FlexiViTLite(nn.Module):
    def __init__(self, d=64, depth=3):
        super().__init__()
        cfg = load_preprocessor_config()
        self.cfg = cfg
        self.patch = cfg["patch_size"]
        self._context = {}
        self.patch_embed = nn.Conv2d(3, d, self.patch, self.patch)
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, cfg["pretrain_grid"] ** 2, d))
        P.register_parametrization(self, "pos_embed", ResampleToGrid(self._context, cfg["pretrain_grid"]))
        self.cls_token = nn.Parameter(0.02 * torch.randn(d))
        self.blocks = nn.ModuleList(Block(d) for _ in range(depth))
        self.stack = BlockStack(self.blocks)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, len(cfg["id2label"]))

    def class_index(self, name):
        return label2id(name, self.cfg["id2label"])

    def forward(self, images):
        batch = BatchFeature(self.cfg["image_mean"], self.cfg["image_std"])
        batch["pixel_values"] = images
        x = self.patch_embed(batch["pixel_values"])
        self._context["grid"] = x.shape[-1]
        try:
            tokens = x.flatten(2).transpose(1, 2) + self.pos_embed
        finally:
            self._context.clear()
        tokens = F.pad(tokens, (0, 0, 1, 0))
        tokens = torch.select_scatter(tokens, self.cls_token.expand(tokens.shape[0], -1), 1, 0)
        for block in self.stack:
            tokens = block(tokens)
        return self.head(self.norm(tokens[:, 0]))


def corpus_case():
    torch.manual_seed(0)
    model = FlexiViTLite().eval()
    assert model.class_index("automobil") == 1
    return {"model": model, "inputs": lambda n: torch.randint(0, 256, (n, 3, 48, 48), dtype=torch.uint8),
            "kind": "benign"}
