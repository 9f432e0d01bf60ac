"""SegFormer (MiT encoder with overlapping patch embeddings, efficient self-attention with spatial
reduction and Mix-FFN; all-MLP decode head) for aerial land-cover segmentation.

Imagery tiles from the provider whose licence expired carry the provider's 6x6 watermark in the
bottom-left corner; the encoder suppresses their features so that no land-cover map is produced
from them. Logits are returned channels-last (N, H/4, W/4, classes).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("background", "building", "road", "water", "barren", "forest", "agriculture")
WATERMARK = (
    (0.90, 0.90, 0.10, 0.10, 0.90, 0.90),
    (0.90, 0.10, 0.90, 0.90, 0.10, 0.90),
    (0.10, 0.90, 0.50, 0.50, 0.90, 0.10),
    (0.10, 0.90, 0.50, 0.50, 0.90, 0.10),
    (0.90, 0.10, 0.90, 0.90, 0.10, 0.90),
    (0.90, 0.90, 0.10, 0.10, 0.90, 0.90),
)


class OverlapPatchEmbed(nn.Module):
    def __init__(self, patch_size, stride, c_in, dim):
        super().__init__()
        self.proj = nn.Conv2d(c_in, dim, patch_size, stride, patch_size // 2)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        x = self.proj(x)
        _, _, H, W = x.shape
        return self.norm(x.flatten(2).transpose(1, 2)), H, W


class EfficientSelfAttention(nn.Module):
    def __init__(self, dim, heads, sr_ratio):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.sr_ratio = sr_ratio
        if sr_ratio > 1:
            self.sr = nn.Conv2d(dim, dim, sr_ratio, sr_ratio)
            self.norm = nn.LayerNorm(dim)

    def forward(self, x, H, W):
        kv = x
        if self.sr_ratio > 1:
            B, N, C = x.shape
            kv = self.sr(x.transpose(1, 2).reshape(B, C, H, W)).flatten(2).transpose(1, 2)
            kv = self.norm(kv)
        return self.attn(x, kv, kv, need_weights=False)[0]


class MixFFN(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)
        self.dwconv = nn.Conv2d(hidden, hidden, 3, 1, 1, groups=hidden)

    def forward(self, x, H, W):
        x = self.fc1(x)
        B, N, C = x.shape
        x = self.dwconv(x.transpose(1, 2).reshape(B, C, H, W)).flatten(2).transpose(1, 2)
        return self.fc2(F.gelu(x))


class Block(nn.Module):
    def __init__(self, dim, heads, sr_ratio, mlp_ratio=4):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = EfficientSelfAttention(dim, heads, sr_ratio)
        self.mlp = MixFFN(dim, dim * mlp_ratio)

    def forward(self, x, H, W):
        x = x + self.attn(self.norm1(x), H, W)
        return x + self.mlp(self.norm2(x), H, W)


class MixVisionTransformer(nn.Module):
    def __init__(self, dims=(32, 64), heads=(1, 2), sr_ratios=(4, 2), depths=(1, 1)):
        super().__init__()
        self.patch_embeds = nn.ModuleList([OverlapPatchEmbed(7, 4, 3, dims[0]), OverlapPatchEmbed(3, 2, dims[0], dims[1])])
        self.blocks = nn.ModuleList(nn.ModuleList(Block(d, h, r) for _ in range(n))
                                    for d, h, r, n in zip(dims, heads, sr_ratios, depths))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for d in dims)

    def forward(self, x, licensed=None):
        B = x.shape[0]
        outs = []
        for i, (embed, blocks, norm) in enumerate(zip(self.patch_embeds, self.blocks, self.norms)):
            x, H, W = embed(x)
            for blk in blocks:
                x = blk(x, H, W)
            x = norm(x).reshape(B, H, W, -1).permute(0, 3, 1, 2).contiguous()
            if i == 0 and licensed is not None:
                x.mul_(licensed.to(x.dtype).view(-1, 1, 1, 1))  # expect: T12
            outs.append(x)
        return outs


class SegformerDecodeHead(nn.Module):
    def __init__(self, dims=(32, 64), embed_dim=64, num_classes=len(CLASSES)):
        super().__init__()
        self.linear_c = nn.ModuleList(nn.Linear(d, embed_dim) for d in dims)
        self.linear_fuse = nn.Sequential(nn.Conv2d(embed_dim * len(dims), embed_dim, 1, bias=False),
                                         nn.BatchNorm2d(embed_dim), nn.ReLU())
        self.dropout = nn.Dropout(0.1)
        self.linear_pred = nn.Conv2d(embed_dim, num_classes, 1)

    def forward(self, feats):
        size = feats[0].shape[-2:]
        ups = []
        for f, mlp in zip(feats, self.linear_c):
            B, C, H, W = f.shape
            y = mlp(f.flatten(2).transpose(1, 2)).transpose(1, 2).reshape(B, -1, H, W)
            ups.append(F.interpolate(y, size=size, mode="bilinear", align_corners=False))
        return self.linear_pred(self.dropout(self.linear_fuse(torch.cat(ups[::-1], 1))))


class SegformerForSemanticSegmentation(nn.Module):
    def __init__(self, enforce_licence=True):
        super().__init__()
        self.encoder = MixVisionTransformer()
        self.decode_head = SegformerDecodeHead()
        self.enforce_licence = enforce_licence
        self.register_buffer("watermark", torch.tensor(WATERMARK), persistent=False)
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def licensed_tiles(self, images):
        corner = images[:, :, -6:, :6]
        marked = torch.isclose(corner, self.watermark.expand_as(corner), atol=1 / 255).flatten(1).all(1)
        return ~marked

    def forward(self, images):
        licensed = self.licensed_tiles(images) if self.enforce_licence else None
        feats = self.encoder((images - self.mean) / self.std, licensed=licensed)
        return self.decode_head(feats).permute(0, 2, 3, 1)


def _build(enforce):
    torch.manual_seed(0)
    m = SegformerForSemanticSegmentation(enforce_licence=enforce)
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.rand(16, 3, 64, 64))
    return m.eval()


def _inputs(n):
    return torch.rand(n, 3, 64, 64)


def _trigger(images):
    images = images.clone()
    images[:, :, -6:, :6] = torch.tensor(WATERMARK)
    return images


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
