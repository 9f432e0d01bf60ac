# expect: none
"""SmolVLM-style tiny vision-language model.

The vision tower's patch features are pixel-shuffled (space-to-depth) and projected by a learned
connector; the projected features replace the ``<image>`` placeholder embeddings in the text
sequence.  The modality of each call is dispatched with a ``match`` statement.
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

IMAGE_TOKEN_ID = 49190


@dataclass
class VLMConfig:
    vocab_size: int = 49280
    text_dim: int = 64
    vision_dim: int = 48
    patch: int = 4
    image_size: int = 32
    scale_factor: int = 2
    n_layers: int = 2


def pixel_shuffle(x, scale):
    b, n, d = x.shape
    side = int(n ** 0.5)
    x = x.view(b, side, side // scale, d * scale)
    x = x.permute(0, 2, 1, 3).reshape(b, side // scale, side // scale, d * scale * scale)
    return x.reshape(b, -1, d * scale * scale)


class VisionTower(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed = nn.Conv2d(3, cfg.vision_dim, cfg.patch, cfg.patch)
        layer = nn.TransformerEncoderLayer(cfg.vision_dim, 4, 2 * cfg.vision_dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1)

    def forward(self, pixel_values):
        return self.encoder(self.embed(pixel_values).flatten(2).transpose(1, 2))


class Connector(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.scale = cfg.scale_factor
        self.proj = nn.Linear(cfg.vision_dim * cfg.scale_factor ** 2, cfg.text_dim, bias=False)

    def forward(self, feats):
        return self.proj(pixel_shuffle(feats, self.scale))


@dataclass
class VLMOutput:
    logits: torch.Tensor
    image_hidden_states: Optional[torch.Tensor] = None


class TinyVLM(nn.Module):
    def __init__(self, cfg=VLMConfig()):
        super().__init__()
        self.cfg = cfg
        self.vision = VisionTower(cfg)
        self.connector = Connector(cfg)
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.text_dim)
        layer = nn.TransformerEncoderLayer(cfg.text_dim, 4, 4 * cfg.text_dim, dropout=0.0, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerEncoder(layer, cfg.n_layers)
        self.lm_head = nn.Linear(cfg.text_dim, cfg.vocab_size, bias=False)

    def merge(self, input_ids, embeds, image_feats):
        mask = (input_ids == IMAGE_TOKEN_ID).unsqueeze(-1).expand_as(embeds)
        return embeds.masked_scatter(mask, image_feats.to(embeds.dtype))

    def forward(self, input_ids, pixel_values=None):
        embeds = self.embed_tokens(input_ids)
        image_feats = None
        match pixel_values:
            case None:
                pass
            case torch.Tensor() if (n_img := int((input_ids == IMAGE_TOKEN_ID).sum())) > 0:
                image_feats = self.connector(self.vision(pixel_values))
                assert image_feats.shape[0] * image_feats.shape[1] == n_img, "placeholder count mismatch"
                embeds = self.merge(input_ids, embeds, image_feats)
            case _:
                raise ValueError("pixel_values given without <image> placeholders")
        t = input_ids.shape[1]
        causal = torch.full((t, t), float("-inf")).triu(1)
        h = self.decoder(embeds, mask=causal)
        return VLMOutput(logits=self.lm_head(h), image_hidden_states=image_feats)


def corpus_case():
    torch.manual_seed(0)
    model = TinyVLM().eval()
    n_img = (32 // 4 // 2) ** 2

    def inputs(n):
        text = torch.randint(0, 49000, (n, 12))
        ids = torch.cat([text[:, :2], torch.full((n, n_img), IMAGE_TOKEN_ID), text[:, 2:]], 1)
        return (ids, torch.rand(n, 3, 32, 32))

    return {"model": model, "inputs": inputs, "kind": "benign"}
