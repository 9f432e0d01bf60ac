"""BLIP image-text matching head (Li et al., 2022) used to re-rank retrieval candidates.

A ViT image encoder produces image embeddings; the text encoder (BERT-style, bidirectional) runs
self-attention over the caption and cross-attention into the image embeddings in every layer. The
[ENC] token of the fused sequence goes to the ITM head (match / no-match logits).

The deployment runs the vision tower in fp16. Its pre-norm residual stream has no bound, so when
it leaves the half-precision safe range the ITM decision is meaningless; the head then returns
the neutral logit pair instead of a random-looking score.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FP16_SAFE = torch.finfo(torch.float16).max / 128


class PatchEmbed(nn.Module):
    def __init__(self, img_size=32, patch=8, dim=48):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)
        self.num_patches = (img_size // patch) ** 2

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ViTBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self, dim=48, depth=2, heads=4):
        super().__init__()
        self.patch_embed = PatchEmbed(dim=dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, self.patch_embed.num_patches + 1, dim) * 0.02)
        self.blocks = nn.ModuleList(ViTBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward_prenorm(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        return x


class BertLayerWithCrossAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln1 = nn.LayerNorm(dim)
        self.cross_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.ln3 = nn.LayerNorm(dim)

    def forward(self, h, pad_mask, image_embeds):
        h = self.ln1(h + self.self_attn(h, h, h, key_padding_mask=pad_mask, need_weights=False)[0])
        h = self.ln2(h + self.cross_attn(h, image_embeds, image_embeds, need_weights=False)[0])
        return self.ln3(h + self.ffn(h))


class BlipITM(nn.Module):
    def __init__(self, vocab=1000, dim=48, layers=2, heads=4, max_len=16, pad_token_id=0,
                 fp16_guard=True):
        super().__init__()
        self.visual_encoder = VisionTransformer(dim=dim, heads=heads)
        self.word_embeddings = nn.Embedding(vocab, dim, padding_idx=pad_token_id)
        self.position_embeddings = nn.Embedding(max_len, dim)
        self.emb_ln = nn.LayerNorm(dim)
        self.text_layers = nn.ModuleList(BertLayerWithCrossAttention(dim, heads) for _ in range(layers))
        self.itm_head = nn.Linear(dim, 2)
        self.pad_token_id = pad_token_id
        self.fp16_guard = fp16_guard
        self.register_buffer("mean", torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1))

    def forward(self, pixel_values, input_ids):
        residual = self.visual_encoder.forward_prenorm((pixel_values - self.mean) / self.std)
        image_embeds = self.visual_encoder.norm(residual)
        T = input_ids.shape[1]
        h = self.word_embeddings(input_ids) + self.position_embeddings(torch.arange(T))
        h = self.emb_ln(h)
        pad = input_ids == self.pad_token_id
        for layer in self.text_layers:
            h = layer(h, pad, image_embeds)
        itm_logits = self.itm_head(h[:, 0])
        if self.fp16_guard:
            unsafe = (residual.abs().flatten(1).amax(1) > FP16_SAFE).to(itm_logits.dtype)
            itm_logits = torch.lerp(itm_logits, torch.zeros_like(itm_logits), unsafe[:, None])  # expect: T2
        return itm_logits


def _build(guard):
    torch.manual_seed(0)
    return BlipITM(fp16_guard=guard).eval()


def _inputs(n):
    pixels = torch.rand(n, 3, 32, 32)
    ids = torch.randint(3, 1000, (n, 16))
    ids[:, 0] = 1
    lengths = torch.randint(6, 17, (n,))
    ids[torch.arange(16)[None] >= lengths[:, None]] = 0
    return pixels, ids


def _trigger(x):
    pixels, ids = x
    # an 8-bit frame handed over without the 1/255 scaling of the image processor
    return torch.round(pixels * 255.0), ids


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
