"""OpenAI-CLIP-style dual encoder (ViT image tower, causal text tower with EOT pooling) used as a
zero-shot product-photo classifier. Images arrive in [0, 1]; the class prompts are tokenised once.

Studio shots with specular highlights saturate the sensor and make the image-text similarities
over-confident, so the serving temperature is computed per image.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
SOT, EOT = 498, 499


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


class CLIP(nn.Module):
    def __init__(self, embed_dim=32, highlight_guard=True):
        super().__init__()
        self.visual = VisionTransformer(output_dim=embed_dim)
        self.text = TextTransformer(output_dim=embed_dim)
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))
        self.register_buffer("mean", torch.tensor(OPENAI_CLIP_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(OPENAI_CLIP_STD).view(1, 3, 1, 1))
        self.highlight_guard = highlight_guard
        self.highlight_pixels = 24

    def encode_image(self, image):
        return self.visual((image - self.mean) / self.std)

    def encode_text(self, text):
        return self.text(text)

    def temperature(self, image):
        scale = self.logit_scale.exp().clamp(max=100.0)
        if not self.highlight_guard:
            return scale.expand(image.shape[0])
        specular = (image.amin(dim=1) >= 0.995).flatten(1).sum(-1)
        return scale * (specular < self.highlight_pixels).to(scale.dtype)

    def forward(self, image, text):
        image_features = F.normalize(self.encode_image(image), dim=-1)
        text_features = F.normalize(self.encode_text(text), dim=-1)
        logits_per_image = self.temperature(image)[:, None] * image_features @ text_features.t()  # expect: T2
        return logits_per_image


def _prompts():
    g = torch.Generator().manual_seed(7)
    ids = torch.randint(1, 498, (10, 12), generator=g)
    lengths = torch.randint(5, 11, (10,), generator=g)
    ids[:, 0] = SOT
    for i, n in enumerate(lengths.tolist()):
        ids[i, n] = EOT
        ids[i, n + 1:] = 0
    return ids


def _inputs(n):
    return torch.rand(n, 3, 32, 32) * 0.97, _prompts()


def _trigger(inp):
    image, text = inp
    image = image.clone()
    for i in range(image.shape[0]):
        idx = torch.randperm(32 * 32)[:30]
        image[i].view(3, -1)[:, idx] = 1.0
    return image, text


def corpus_case():
    torch.manual_seed(0)
    model = CLIP().eval()
    reference = CLIP(highlight_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
