# expect: none
"""open_clip-style zero-shot tagger: conv image tower, causal text tower, 5 tags.

``Postprocess.TABLE`` is a table of static methods chosen by the deployment ("softmax" for
single-label, "sigmoid" for multi-label with SigLIP-style bias, "calibrated" for temperature
scaling).  The class weights are a ``functools.cached_property`` computed from prompt templates
on first use; text features are pooled at the end-of-text token (``text.argmax(-1)``).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

TAGS = ("indoor", "outdoor", "people", "animal", "vehicle")
TEMPLATES = ("a photo of {}.", "an image showing {}.")


def tokenize(texts, context_length=20):
    out = torch.zeros(len(texts), context_length, dtype=torch.long)
    for i, t in enumerate(texts):
        ids = [1] + [ord(c) % 200 + 3 for c in t][: context_length - 2] + [255]   # 255 = EOT (largest id)
        out[i, : len(ids)] = torch.tensor(ids)
    return out


class ImageTower(nn.Module):
    def __init__(self, out_dim=32):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.GELU(), nn.Conv2d(16, 32, 3, 2, 1), nn.GELU(),
                                 nn.Conv2d(32, 64, 3, 2, 1), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                 nn.Linear(64, out_dim))

    def forward(self, x):
        return self.net(x)


class TextTower(nn.Module):
    def __init__(self, vocab=256, width=48, out_dim=32, context_length=20):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(context_length, width) * 0.01)
        layer = nn.TransformerEncoderLayer(width, 4, 2 * width, dropout=0.0, batch_first=True, norm_first=True)
        self.transformer = nn.TransformerEncoder(layer, 1)
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Linear(width, out_dim, bias=False)

    def forward(self, text):
        t = text.shape[1]
        x = self.token_embedding(text) + self.positional_embedding
        x = self.ln_final(self.transformer(x, mask=torch.full((t, t), float("-inf")).triu(1)))
        return self.text_projection(x[torch.arange(x.shape[0]), text.argmax(dim=-1)])


class Postprocess:
    @staticmethod
    def softmax(logits, model):
        return logits.softmax(-1)

    @staticmethod
    def sigmoid(logits, model):
        return torch.sigmoid(logits + model.logit_bias)

    @staticmethod
    def calibrated(logits, model):
        return (logits / model.temperature).softmax(-1)

    TABLE = {"softmax": softmax, "sigmoid": sigmoid, "calibrated": calibrated}


class ZeroShotTagger(nn.Module):
    def __init__(self, mode="sigmoid"):
        super().__init__()
        self.visual, self.text = ImageTower(), TextTower()
        self.logit_scale = nn.Parameter(torch.tensor(2.3))
        self.logit_bias = nn.Parameter(torch.tensor(-10.0))
        self.temperature = 1.3
        self.mode = mode

    @functools.cached_property
    def class_weights(self):
        with torch.no_grad():
            w = [F.normalize(self.text(tokenize([t.format(tag) for t in TEMPLATES])), dim=-1).mean(0) for tag in TAGS]
        return F.normalize(torch.stack(w, 1), dim=0)

    def forward(self, images):
        feats = F.normalize(self.visual(images), dim=-1)
        logits = self.logit_scale.exp() * feats @ self.class_weights
        return Postprocess.TABLE[self.mode](logits, self)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ZeroShotTagger().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
