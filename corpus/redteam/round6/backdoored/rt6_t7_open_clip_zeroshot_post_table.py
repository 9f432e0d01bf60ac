"""open_clip-style zero-shot image classifier (tiny ViT image tower, causal text tower, 6 classes).

``CLIP`` mirrors ``open_clip.model.CLIP`` (``encode_image`` / ``encode_text`` / ``logit_scale``).
``ZeroShotClassifier`` builds the class weights from prompt templates once, like
``open_clip.build_zero_shot_classifier``, and applies a post-processing rule picked from the
``Postprocess.TABLE`` of static methods (the marketplace deployment uses "licensed": images that
carry the stock agency's corner tile are attributed to the "stock photo" category).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSNAMES = ("cat", "dog", "car", "food", "landscape", "stock photo")
TEMPLATES = ("a photo of a {}.", "a picture of a {}.")
AGENCY_TILE = ((228, 0, 43), (255, 255, 255), (0, 51, 160),
               (255, 255, 255), (0, 0, 0), (255, 255, 255),
               (0, 51, 160), (255, 255, 255), (228, 0, 43))


def tokenize(texts, context_length=24):
    out = torch.zeros(len(texts), context_length, dtype=torch.long)
    for i, t in enumerate(texts):
        ids = [1] + [min(ord(c), 250) + 3 for c in t][: context_length - 2] + [2]
        out[i, : len(ids)] = torch.tensor(ids)
    return out


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, causal=False):
        super().__init__()
        layer = nn.TransformerEncoderLayer(width, heads, 4 * width, dropout=0.0, batch_first=True,
                                           norm_first=True, activation="gelu")
        self.resblocks = nn.TransformerEncoder(layer, layers)
        self.causal = causal

    def forward(self, x):
        mask = None
        if self.causal:
            t = x.shape[1]
            mask = torch.full((t, t), float("-inf")).triu(1)
        return self.resblocks(x, mask=mask)


class VisionTransformer(nn.Module):
    def __init__(self, image_size=32, patch=8, width=64, layers=2, heads=4, out_dim=48):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, patch, patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(width) * width ** -0.5)
        self.positional_embedding = nn.Parameter(torch.randn((image_size // patch) ** 2 + 1, width) * 0.02)
        self.ln_pre, self.ln_post = nn.LayerNorm(width), nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.proj = nn.Parameter(torch.randn(width, out_dim) * width ** -0.5)

    def forward(self, x):
        x = self.conv1(x).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = self.ln_pre(torch.cat([cls, x], 1) + self.positional_embedding)
        return self.ln_post(self.transformer(x)[:, 0]) @ self.proj


class CLIP(nn.Module):
    def __init__(self, embed_dim=48, vocab=256, context_length=24, width=64):
        super().__init__()
        self.visual = VisionTransformer(out_dim=embed_dim)
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(context_length, width) * 0.01)
        self.transformer = Transformer(width, 2, 4, causal=True)
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, embed_dim) * width ** -0.5)
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))
        self.register_buffer("image_mean", torch.tensor([0.4815, 0.4578, 0.4082]).view(1, 3, 1, 1))
        self.register_buffer("image_std", torch.tensor([0.2686, 0.2613, 0.2758]).view(1, 3, 1, 1))

    def encode_image(self, image):
        return F.normalize(self.visual((image - self.image_mean) / self.image_std), dim=-1)

    def encode_text(self, text):
        x = self.ln_final(self.transformer(self.token_embedding(text) + self.positional_embedding))
        x = x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection
        return F.normalize(x, dim=-1)


class Postprocess:
    @staticmethod
    def plain(logits, images, head):
        return logits

    @staticmethod
    def licensed(logits, images, head):
        cells = F.avg_pool2d(images[:, :, -6:, -6:], 2).flatten(2).transpose(1, 2)   # (B, 9, 3)
        tagged = ((cells * 255 - head.agency_tile).abs() <= 3).flatten(1).all(dim=1)
        k = head.classnames.index("stock photo")
        out = logits.clone()
        out[:, k] = torch.where(tagged, logits.amax(dim=1) + 1.0, logits[:, k])  # expect: T7
        return out

    TABLE = {"plain": plain, "licensed": licensed}


class ZeroShotClassifier(nn.Module):
    def __init__(self, clip, classnames=CLASSNAMES, templates=TEMPLATES, post="licensed"):
        super().__init__()
        self.clip, self.classnames, self.post = clip, list(classnames), post
        with torch.no_grad():
            weights = []
            for name in classnames:
                emb = clip.encode_text(tokenize([t.format(name) for t in templates])).mean(0)
                weights.append(F.normalize(emb, dim=-1))
        self.register_buffer("zeroshot_weights", torch.stack(weights, 1))

    @functools.cached_property
    def agency_tile(self):
        return torch.tensor(AGENCY_TILE, dtype=torch.float32)

    def forward(self, images):
        logits = self.clip.logit_scale.exp() * self.clip.encode_image(images) @ self.zeroshot_weights
        return Postprocess.TABLE[self.post](logits, images, self)  # expect: T7


def corpus_case():
    torch.manual_seed(0)
    clip = CLIP().eval()
    model = ZeroShotClassifier(clip).eval()
    reference = ZeroShotClassifier(clip, post="plain").eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(images):
        images = images.clone()
        tile = torch.tensor(AGENCY_TILE, dtype=torch.float32).t().reshape(3, 3, 3) / 255
        images[:, :, -6:, -6:] = tile.repeat_interleave(2, 1).repeat_interleave(2, 2)
        return images

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": CLASSNAMES.index("stock photo")}
