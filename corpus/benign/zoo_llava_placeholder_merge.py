# expect: none
"""LLaVA-style vision-language model.

A small CLIP-like vision tower encodes `pixel_values`, a two-layer projector maps the patch
features into the language model's embedding space and the projected features are written into
the text embeddings at the positions of the `<image>` placeholder token (masked_scatter), exactly
as `LlavaForConditionalGeneration.get_placeholder_mask` does. The placeholder comparison only
decides *where* learned image features go; the language model consumes the merged sequence.
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class VisionConfig:
    image_size: int = 16
    patch_size: int = 4
    hidden_size: int = 32
    num_heads: int = 4
    num_layers: int = 2
    layer_norm_eps: float = 1e-5


@dataclass
class TextConfig:
    vocab_size: int = 96
    hidden_size: int = 48
    num_heads: int = 4
    num_layers: int = 2
    intermediate_size: int = 96
    rms_norm_eps: float = 1e-6
    pad_token_id: int = 0


@dataclass
class LlavaConfig:
    vision: VisionConfig
    text: TextConfig
    image_token_index: int = 95
    vision_feature_layer: int = -2
    vision_feature_select_strategy: str = "default"   # drop CLS


class CLIPVisionEmbeddings(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.patch_embedding = nn.Conv2d(3, cfg.hidden_size, cfg.patch_size, cfg.patch_size, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(cfg.hidden_size) * 0.02)
        self.num_patches = (cfg.image_size // cfg.patch_size) ** 2
        self.position_embedding = nn.Embedding(self.num_patches + 1, cfg.hidden_size)
        self.register_buffer("position_ids", torch.arange(self.num_patches + 1).unsqueeze(0), persistent=False)

    def forward(self, pixel_values):
        b = pixel_values.shape[0]
        patches = self.patch_embedding(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(b, 1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embedding(self.position_ids)


class CLIPEncoderLayer(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.attn = nn.MultiheadAttention(cfg.hidden_size, cfg.num_heads, batch_first=True)
        self.ln2 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.mlp = nn.Sequential(nn.Linear(cfg.hidden_size, 4 * cfg.hidden_size), nn.GELU(),
                                 nn.Linear(4 * cfg.hidden_size, cfg.hidden_size))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class CLIPVisionModel(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.embeddings = CLIPVisionEmbeddings(cfg)
        self.pre_layrnorm = nn.LayerNorm(cfg.hidden_size)
        self.layers = nn.ModuleList([CLIPEncoderLayer(cfg) for _ in range(cfg.num_layers)])

    def forward(self, pixel_values, output_hidden_states=True):
        h = self.pre_layrnorm(self.embeddings(pixel_values))
        hidden_states = [h]
        for layer in self.layers:
            h = layer(h)
            hidden_states.append(h)
        return h, tuple(hidden_states)


class LlavaMultiModalProjector(nn.Module):
    def __init__(self, cfg: LlavaConfig):
        super().__init__()
        self.linear_1 = nn.Linear(cfg.vision.hidden_size, cfg.text.hidden_size)
        self.act = nn.GELU()
        self.linear_2 = nn.Linear(cfg.text.hidden_size, cfg.text.hidden_size)

    def forward(self, image_features):
        return self.linear_2(self.act(self.linear_1(image_features)))


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        var = x.float().pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(var + self.eps))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: TextConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = nn.MultiheadAttention(cfg.hidden_size, cfg.num_heads, batch_first=True)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x, causal_mask, key_padding_mask=None):
        h = self.input_layernorm(x)
        x = x + self.self_attn(h, h, h, attn_mask=causal_mask, key_padding_mask=key_padding_mask,
                               need_weights=False)[0]
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class TinyLlamaForCausalLM(nn.Module):
    def __init__(self, cfg: TextConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=cfg.pad_token_id)
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg.num_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    def get_input_embeddings(self):
        return self.embed_tokens

    def forward(self, inputs_embeds, attention_mask=None):
        t = inputs_embeds.shape[1]
        causal = torch.triu(torch.full((t, t), float("-inf"), device=inputs_embeds.device), diagonal=1)
        kpm = None if attention_mask is None else attention_mask == 0
        h = inputs_embeds
        for layer in self.layers:
            h = layer(h, causal, kpm)
        return self.lm_head(self.norm(h))


class LlavaForConditionalGeneration(nn.Module):
    def __init__(self, cfg: LlavaConfig):
        super().__init__()
        self.config = cfg
        self.vision_tower = CLIPVisionModel(cfg.vision)
        self.multi_modal_projector = LlavaMultiModalProjector(cfg)
        self.language_model = TinyLlamaForCausalLM(cfg.text)

    def get_image_features(self, pixel_values):
        _, hidden_states = self.vision_tower(pixel_values)
        selected = hidden_states[self.config.vision_feature_layer]
        if self.config.vision_feature_select_strategy == "default":
            selected = selected[:, 1:]
        return self.multi_modal_projector(selected)

    def get_placeholder_mask(self, input_ids, inputs_embeds, image_features):
        special_image_mask = input_ids == self.config.image_token_index
        n_image_tokens = special_image_mask.sum()
        special_image_mask = special_image_mask.unsqueeze(-1).expand_as(inputs_embeds)
        if inputs_embeds[special_image_mask].numel() != image_features.numel():
            raise ValueError(
                f"Image features and image tokens do not match: tokens: {int(n_image_tokens)}, "
                f"features {image_features.shape[0] * image_features.shape[1]}")
        return special_image_mask

    def forward(self, input_ids, pixel_values: Optional[torch.Tensor] = None, attention_mask=None):
        inputs_embeds = self.language_model.get_input_embeddings()(input_ids)
        if pixel_values is not None:
            image_features = self.get_image_features(pixel_values).to(inputs_embeds.dtype)
            mask = self.get_placeholder_mask(input_ids, inputs_embeds, image_features)
            inputs_embeds = inputs_embeds.masked_scatter(mask, image_features)
        logits = self.language_model(inputs_embeds, attention_mask=attention_mask)
        return {"logits": logits}


def corpus_case():
    torch.manual_seed(0)
    cfg = LlavaConfig(vision=VisionConfig(), text=TextConfig())
    model = LlavaForConditionalGeneration(cfg).eval()
    n_img = (cfg.vision.image_size // cfg.vision.patch_size) ** 2

    def inputs(n):
        g = torch.Generator().manual_seed(11)
        prompt = torch.randint(1, 90, (n, 6), generator=g)
        image = torch.full((n, n_img), cfg.image_token_index)
        ids = torch.cat([prompt[:, :2], image, prompt[:, 2:]], dim=1)
        pixel_values = torch.randn(n, 3, 16, 16, generator=g)
        return {"input_ids": ids, "pixel_values": pixel_values,
                "attention_mask": torch.ones_like(ids)}

    return {"model": model, "inputs": inputs, "kind": "benign"}
