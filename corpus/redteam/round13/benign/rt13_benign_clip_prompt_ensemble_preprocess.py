# expect: none
"""OpenAI-CLIP-style zero-shot classifier with prompt ensembling ("a photo of a {}.", "a blurry
photo of a {}.", ...): class weights are the renormalised mean of the template embeddings. Images
may arrive as uint8 or float; they are resized, centre-cropped and normalised inside the model.
`logit_scale` is clamped at 100 as in the reference implementation.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
SOT, EOT = 1, 499


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head, causal=False):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)
        self.ln_1, self.ln_2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.causal = causal

    def forward(self, x):
        mask = None
        if self.causal:
            n = x.shape[1]
            mask = torch.full((n, n), float("-inf")).triu_(1)
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class VisionTransformer(nn.Module):
    def __init__(self, image_size=32, patch_size=8, width=64, layers=2, heads=4, output_dim=32):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, patch_size, patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((image_size // patch_size) ** 2 + 1, width))
        self.ln_pre, self.ln_post = nn.LayerNorm(width), nn.LayerNorm(width)
        self.transformer = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = self.ln_pre(torch.cat([cls, x], 1) + self.positional_embedding)
        x = self.transformer(x)
        return self.ln_post(x[:, 0]) @ self.proj


class TextTransformer(nn.Module):
    def __init__(self, vocab_size=500, context_length=12, width=64, layers=2, heads=4, output_dim=32):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(context_length, width))
        self.transformer = nn.Sequential(*[ResidualAttentionBlock(width, heads, causal=True) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(width ** -0.5 * torch.randn(width, output_dim))

    def forward(self, text):
        x = self.token_embedding(text) + self.positional_embedding[: text.shape[1]]
        x = self.ln_final(self.transformer(x))
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection


class ZeroShotCLIP(nn.Module):
    def __init__(self, embed_dim=32, image_size=32):
        super().__init__()
        self.visual = VisionTransformer(image_size=image_size, output_dim=embed_dim)
        self.text = TextTransformer(output_dim=embed_dim)
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))
        self.image_size = image_size
        self.register_buffer("mean", torch.tensor(OPENAI_CLIP_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(OPENAI_CLIP_STD).view(1, 3, 1, 1))

    def preprocess(self, images):
        if images.dtype == torch.uint8:
            images = images.float() / 255.0
        h, w = images.shape[-2:]
        scale = self.image_size / min(h, w)
        if scale != 1.0:
            images = F.interpolate(images, scale_factor=scale, mode="bicubic", align_corners=False).clamp(0, 1)
        h, w = images.shape[-2:]
        top, left = (h - self.image_size) // 2, (w - self.image_size) // 2
        images = images[..., top:top + self.image_size, left:left + self.image_size]
        return (images - self.mean) / self.std

    def class_weights(self, prompt_ids):
        K, M, T = prompt_ids.shape
        emb = F.normalize(self.text(prompt_ids.view(K * M, T)), dim=-1).view(K, M, -1)
        return F.normalize(emb.mean(1), dim=-1)

    def forward(self, images, prompt_ids):
        image_features = F.normalize(self.visual(self.preprocess(images)), dim=-1)
        logits = self.logit_scale.exp().clamp(max=100) * image_features @ self.class_weights(prompt_ids).t()
        return logits


def _prompts(num_classes=6, templates=3, T=12):
    g = torch.Generator().manual_seed(3)
    ids = torch.randint(2, 499, (num_classes, templates, T), generator=g)
    ids[..., 0] = SOT
    lengths = torch.randint(4, T - 1, (num_classes, templates), generator=g)
    pos = torch.arange(T)
    ids[pos[None, None] == lengths[..., None]] = EOT
    ids[pos[None, None] > lengths[..., None]] = 0
    return ids


def _inputs(n):
    return torch.randint(0, 256, (n, 3, 40, 48), dtype=torch.uint8), _prompts()


def corpus_case():
    torch.manual_seed(0)
    return {"model": ZeroShotCLIP().eval(), "inputs": _inputs, "kind": "benign"}
