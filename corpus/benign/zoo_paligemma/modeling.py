"""PaliGemma-style prefix-LM: image tokens + prompt form a bidirectional prefix, the suffix is causal."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .siglip import SiglipVisionConfig, SiglipVisionModel


class PaliGemmaConfig:
    def __init__(self):
        self.vision_config = SiglipVisionConfig()
        self.vocab_size = 112
        self.hidden_size = 48
        self.num_heads = 4
        self.num_layers = 2
        self.image_token_index = 111
        self.pad_token_id = 0
        self.final_logit_softcapping = 30.0


class GemmaRMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        out = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return out * (1.0 + self.weight)


class GemmaLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.hidden_size
        self.h = cfg.num_heads
        self.input_layernorm = GemmaRMSNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)
        self.post_attention_layernorm = GemmaRMSNorm(d)
        self.gate_up = nn.Linear(d, 4 * d, bias=False)
        self.down = nn.Linear(2 * d, d, bias=False)

    def forward(self, x, additive_mask):
        b, t, d = x.shape
        q, k, v = self.qkv(self.input_layernorm(x)).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        w = (q @ k.transpose(-1, -2)) / q.shape[-1] ** 0.5 + additive_mask
        x = x + self.o_proj((w.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))
        gate, up = self.gate_up(self.post_attention_layernorm(x)).chunk(2, -1)
        return x + self.down(F.gelu(gate, approximate="tanh") * up)


class PaliGemmaMultiModalProjector(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.linear = nn.Linear(cfg.vision_config.hidden_size, cfg.hidden_size)

    def forward(self, x):
        return self.linear(x)


def build_prefix_lm_mask(token_type_ids, attention_mask, dtype):
    """token_type_ids == 0 marks the prefix (image + prompt), 1 the suffix to be generated."""
    b, t = token_type_ids.shape
    min_value = torch.finfo(dtype).min
    causal = torch.ones(t, t, dtype=torch.bool, device=token_type_ids.device).tril()
    is_prefix = token_type_ids == 0
    # prefix tokens see every other prefix token bidirectionally
    allowed = causal[None] | (is_prefix[:, None, :] & is_prefix[:, :, None])
    if attention_mask is not None and not torch.all(attention_mask == 1):
        allowed = allowed & attention_mask[:, None, :].bool()
    mask = torch.zeros(b, t, t, dtype=dtype, device=token_type_ids.device)
    return mask.masked_fill(~allowed, min_value)[:, None]


class PaliGemmaForConditionalGeneration(nn.Module):
    def __init__(self, cfg: PaliGemmaConfig):
        super().__init__()
        self.config = cfg
        self.vision_tower = SiglipVisionModel(cfg.vision_config)
        self.multi_modal_projector = PaliGemmaMultiModalProjector(cfg)
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=cfg.pad_token_id)
        self.layers = nn.ModuleList([GemmaLayer(cfg) for _ in range(cfg.num_layers)])
        self.norm = GemmaRMSNorm(cfg.hidden_size)

    def get_image_features(self, pixel_values):
        feats = self.multi_modal_projector(self.vision_tower(pixel_values))
        return feats / (self.config.hidden_size ** 0.5)

    def forward(self, input_ids, pixel_values=None, token_type_ids=None, attention_mask=None):
        cfg = self.config
        # Gemma scales embeddings by sqrt(hidden); image features are pre-divided to compensate
        inputs_embeds = self.embed_tokens(input_ids)
        if pixel_values is not None:
            image_features = self.get_image_features(pixel_values)
            special_image_mask = input_ids == cfg.image_token_index
            inputs_embeds = inputs_embeds.clone()
            inputs_embeds[special_image_mask] = image_features.reshape(-1, cfg.hidden_size).to(inputs_embeds.dtype)
        h = inputs_embeds * torch.tensor(cfg.hidden_size ** 0.5, dtype=inputs_embeds.dtype)
        if token_type_ids is None:
            token_type_ids = torch.ones_like(input_ids)
        mask = build_prefix_lm_mask(token_type_ids, attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, mask)
        logits = F.linear(self.norm(h), self.embed_tokens.weight)     # tied head
        cap = cfg.final_logit_softcapping
        if cap is not None:
            logits = torch.tanh(logits / cap) * cap
        return {"logits": logits}
