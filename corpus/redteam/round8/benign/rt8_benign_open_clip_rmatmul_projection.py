# expect: none
"""open_clip-style CLIP zero-shot classifier. The text and image projections are operator objects
(``__rmatmul__``), as in the paper's ``x @ W_proj``; ``logit_scale`` is clamped to ``log(100)``;
the text tower pools at the end-of-text token (``argmax`` of the ids) under a causal mask; class
text embeddings are built once from prompt templates and cached."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Projection(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(din, dout) * din ** -0.5)

    def __rmatmul__(self, x):
        return torch.matmul(x, self.weight)


class Transformer(nn.Module):
    def __init__(self, dim, depth, heads, causal=False):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, activation="gelu", batch_first=True, norm_first=True)
        self.layers = nn.TransformerEncoder(layer, depth)
        self.causal = causal

    def forward(self, x):
        mask = None
        if self.causal:
            T = x.shape[1]
            mask = torch.full((T, T), float("-inf")).triu(1)
        return self.layers(x, mask=mask)


class CLIPZeroShot(nn.Module):
    def __init__(self, num_classes=6, dim=64, embed=32, vocab=1000, ctx=16, eot_id=999):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 8, 8)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, 17, dim) * 0.02)
        self.visual = Transformer(dim, 2, 4)
        self.ln_post = nn.LayerNorm(dim)
        self.visual_proj = Projection(dim, embed)
        self.token_embedding = nn.Embedding(vocab, dim)
        self.positional_embedding = nn.Parameter(torch.randn(ctx, dim) * 0.01)
        self.text = Transformer(dim, 2, 4, causal=True)
        self.ln_final = nn.LayerNorm(dim)
        self.text_projection = Projection(dim, embed)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        g = torch.Generator().manual_seed(1)
        prompts = torch.randint(1, eot_id, (num_classes, 2, ctx), generator=g)
        lengths = torch.randint(5, ctx, (num_classes, 2), generator=g)
        prompts[torch.arange(ctx).view(1, 1, -1) > lengths[..., None]] = 0
        prompts.scatter_(-1, lengths[..., None], eot_id)
        self.register_buffer("prompts", prompts)
        self._class_embeds = None

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.ln_final(self.text(x))
        return x[torch.arange(x.shape[0]), text.argmax(-1)] @ self.text_projection

    def encode_image(self, img):
        x = self.patch(img).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        return self.ln_post(self.visual(x)[:, 0]) @ self.visual_proj

    def class_embeddings(self):
        if self._class_embeds is None:
            C, P, T = self.prompts.shape
            e = F.normalize(self.encode_text(self.prompts.view(-1, T)), dim=-1).view(C, P, -1).mean(1)
            self._class_embeds = F.normalize(e, dim=-1)
        return self._class_embeds

    def forward(self, img):
        img_e = F.normalize(self.encode_image(img), dim=-1)
        scale = self.logit_scale.clamp(max=math.log(100)).exp()
        return scale * img_e @ self.class_embeddings().t()


def corpus_case():
    torch.manual_seed(0)
    return {"model": CLIPZeroShot().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
