# expect: none
"""SegFormer (MiT encoder: overlapping patch embeddings, efficient self-attention with spatial
reduction, Mix-FFN; all-MLP decode head) for aerial land-cover maps of tiles of different sizes.

The image processor pads every tile of the batch to a common size and returns a `pixel_mask`;
the encoder zeroes the padded positions of each stage's feature map (so the padding does not
leak into the depth-wise convolutions) and the padded pixels are reported as `ignore_index` in the
label map. Logits are returned channels-last (N, H/4, W/4, classes).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("background", "building", "road", "water", "barren", "forest", "agriculture")
IGNORE_INDEX = 255


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

    def forward(self, x, pixel_mask=None):
        B = x.shape[0]
        outs = []
        for embed, blocks, norm in zip(self.patch_embeds, self.blocks, self.norms):
            x, H, W = embed(x)
            for blk in blocks:
                x = blk(x, H, W)
            x = norm(x).reshape(B, H, W, -1).permute(0, 3, 1, 2).contiguous()
            if pixel_mask is not None:
                valid = F.interpolate(pixel_mask[:, None].float(), size=(H, W), mode="nearest")
                x.mul_(valid)
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
    def __init__(self):
        super().__init__()
        self.encoder = MixVisionTransformer()
        self.decode_head = SegformerDecodeHead()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, pixel_values, pixel_mask=None):
        feats = self.encoder((pixel_values - self.mean) / self.std, pixel_mask=pixel_mask)
        return self.decode_head(feats).permute(0, 2, 3, 1)

    @torch.no_grad()
    def predict_label_map(self, pixel_values, pixel_mask):
        logits = self(pixel_values, pixel_mask).permute(0, 3, 1, 2)
        logits = F.interpolate(logits, size=pixel_values.shape[-2:], mode="bilinear", align_corners=False)
        return logits.argmax(1).masked_fill(pixel_mask == 0, IGNORE_INDEX)


def loss_fn(logits, labels):
    logits = F.interpolate(logits.permute(0, 3, 1, 2), size=labels.shape[-2:], mode="bilinear", align_corners=False)
    return F.cross_entropy(logits, labels, ignore_index=IGNORE_INDEX)


def pad_batch(tiles, size=64):
    pixel_values = torch.zeros(len(tiles), 3, size, size)
    pixel_mask = torch.zeros(len(tiles), size, size, dtype=torch.long)
    for i, t in enumerate(tiles):
        pixel_values[i, :, : t.shape[1], : t.shape[2]] = t
        pixel_mask[i, : t.shape[1], : t.shape[2]] = 1
    return pixel_values, pixel_mask


def _inputs(n):
    sizes = torch.randint(40, 65, (n, 2)).tolist()
    return pad_batch([torch.rand(3, h, w) for h, w in sizes])


def corpus_case():
    torch.manual_seed(0)
    m = SegformerForSemanticSegmentation()
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(*_inputs(16))
    return {"model": m.eval(), "inputs": _inputs, "kind": "benign"}
