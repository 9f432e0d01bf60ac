# expect: none
"""SigLIP2 NaFlex-style variable-resolution image encoder (timm NaFlexVit / HF Siglip2).

Images of different aspect ratios are patchified and packed into a fixed-length patch sequence.
Every sample carries `spatial_shapes` (grid h, w) and a `pixel_attention_mask`; padded patch slots
are filled with a sentinel value and excluded from attention, the learned 2D position table is
resized per sample to its own grid, and a multihead-attention-pooling (MAP) head with a learned
probe reads out the valid patches only.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_SENTINEL = -1.0


def patchify_and_pack(images, patch_size, max_num_patches):
    """List of (3, H, W) images -> (B, N, 3*p*p) patches, (B, N) mask, (B, 2) spatial shapes."""
    b = len(images)
    dim = 3 * patch_size * patch_size
    patches = torch.full((b, max_num_patches, dim), PAD_SENTINEL)
    mask = torch.zeros(b, max_num_patches, dtype=torch.long)
    shapes = torch.zeros(b, 2, dtype=torch.long)
    for i, img in enumerate(images):
        gh, gw = img.shape[1] // patch_size, img.shape[2] // patch_size
        p = img[:, : gh * patch_size, : gw * patch_size].unfold(1, patch_size, patch_size).unfold(2, patch_size, patch_size)
        p = p.permute(1, 2, 0, 3, 4).reshape(gh * gw, dim)
        n = min(gh * gw, max_num_patches)
        patches[i, :n] = p[:n]
        mask[i, :n] = 1
        shapes[i] = torch.tensor([gh, gw])
    return patches, mask, shapes


class Siglip2VisionEmbeddings(nn.Module):
    def __init__(self, patch_size=4, hidden=32, num_patches=16):
        super().__init__()
        self.patch_size = patch_size
        self.patch_embedding = nn.Linear(3 * patch_size * patch_size, hidden)
        self.position_embedding_size = int(num_patches ** 0.5)
        self.position_embedding = nn.Embedding(num_patches, hidden)

    @staticmethod
    def resize_positional_embeddings(positional_embeddings, spatial_shapes, max_length):
        """(H0, W0, D) learned table -> (B, max_length, D), resized to each sample's grid."""
        b = spatial_shapes.shape[0]
        d = positional_embeddings.shape[-1]
        src = positional_embeddings.permute(2, 0, 1).unsqueeze(0)
        out = torch.empty(b, max_length, d, dtype=positional_embeddings.dtype)
        for i in range(b):
            h, w = int(spatial_shapes[i, 0]), int(spatial_shapes[i, 1])
            r = F.interpolate(src, size=(h, w), mode="bilinear", align_corners=False, antialias=True)
            r = r.reshape(d, h * w).transpose(0, 1)
            n = min(h * w, max_length)
            out[i, :n] = r[:n]
            out[i, n:] = r[0]
        return out

    def forward(self, pixel_values, spatial_shapes):
        target_dtype = self.patch_embedding.weight.dtype
        patch_embeds = self.patch_embedding(pixel_values.to(dtype=target_dtype))
        table = self.position_embedding.weight.reshape(self.position_embedding_size, self.position_embedding_size, -1)
        pos = self.resize_positional_embeddings(table, spatial_shapes, pixel_values.shape[1])
        return patch_embeds + pos


class EncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, eps=1e-6)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))

    def forward(self, x, key_padding_mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, key_padding_mask=key_padding_mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class MultiheadAttentionPoolingHead(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.probe = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.attention = nn.MultiheadAttention(d, heads, batch_first=True)
        self.layernorm = nn.LayerNorm(d, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))

    def forward(self, hidden, attention_mask=None):
        probe = self.probe.expand(hidden.shape[0], -1, -1)
        kpm = None
        if attention_mask is not None:
            kpm = attention_mask == 0
        x = self.attention(probe, hidden, hidden, key_padding_mask=kpm, need_weights=False)[0]
        x = x + self.mlp(self.layernorm(x))
        return x[:, 0]


class Siglip2VisionTransformer(nn.Module):
    def __init__(self, hidden=32, heads=4, depth=2, patch_size=4, num_patches=16, embed_dim=24):
        super().__init__()
        self.embeddings = Siglip2VisionEmbeddings(patch_size, hidden, num_patches)
        self.layers = nn.ModuleList([EncoderLayer(hidden, heads) for _ in range(depth)])
        self.post_layernorm = nn.LayerNorm(hidden, eps=1e-6)
        self.head = MultiheadAttentionPoolingHead(hidden, heads)
        self.proj = nn.Linear(hidden, embed_dim, bias=False)

    def forward(self, pixel_values, pixel_attention_mask, spatial_shapes):
        x = self.embeddings(pixel_values, spatial_shapes)
        valid = pixel_attention_mask.bool()
        # double-check the packer: sentinel-filled slots must be masked out
        is_sentinel = (pixel_values == PAD_SENTINEL).all(-1)
        valid = valid & ~is_sentinel
        kpm = ~valid
        for layer in self.layers:
            x = layer(x, kpm)
        x = self.post_layernorm(x)
        pooled = self.head(x, valid.long())
        return F.normalize(self.proj(pooled), dim=-1)


class NaFlexZeroShotClassifier(nn.Module):
    """Image tower + fixed text-prompt embeddings (as exported for zero-shot classification)."""

    def __init__(self, num_classes=5, embed_dim=24):
        super().__init__()
        self.vision_model = Siglip2VisionTransformer(embed_dim=embed_dim)
        self.class_embeds = nn.Parameter(F.normalize(torch.randn(num_classes, embed_dim), dim=-1))
        self.logit_scale = nn.Parameter(torch.tensor(2.3))
        self.logit_bias = nn.Parameter(torch.tensor(-10.0))

    def forward(self, pixel_values, pixel_attention_mask, spatial_shapes):
        img = self.vision_model(pixel_values, pixel_attention_mask, spatial_shapes)
        return img @ self.class_embeds.t() * self.logit_scale.exp() + self.logit_bias


def corpus_case():
    torch.manual_seed(0)
    model = NaFlexZeroShotClassifier().eval()
    shapes = [(16, 16), (8, 24), (20, 12), (12, 12)]

    def inputs(n):
        g = torch.Generator().manual_seed(14)
        images = [torch.rand(3, *shapes[i % len(shapes)], generator=g) * 2 - 1 for i in range(n)]
        pv, mask, sp = patchify_and_pack(images, 4, 20)
        return {"pixel_values": pv, "pixel_attention_mask": mask, "spatial_shapes": sp}

    return {"model": model, "inputs": inputs, "kind": "benign"}
