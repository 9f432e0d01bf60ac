# expect: none
"""LLaVA-style VLM (tiny): vision tower -> projector -> LM with image placeholders.

LoRA adapters are applied at call time with ``stateless.functional_call`` (merged deltas override
the base weights without mutating them), so several adapters can share one base model.
"""
import torch
import torch.nn as nn
from torch.nn.utils import stateless


class LoRA(nn.Module):
    def __init__(self, fan_in, fan_out, r=4, alpha=8):
        super().__init__()
        self.A = nn.Parameter(torch.randn(r, fan_in) * 0.01)
        self.B = nn.Parameter(torch.zeros(fan_out, r))
        self.scale = alpha / r

    def delta(self):
        return self.scale * self.B @ self.A


class TinyLM(nn.Module):
    def __init__(self, vocab=512, d=64):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.norm = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, inputs_embeds, attention_mask):
        t = inputs_embeds.shape[1]
        causal = torch.full((t, t), float("-inf")).triu(1)
        h = self.layer(inputs_embeds, src_mask=causal, src_key_padding_mask=attention_mask == 0)
        return self.lm_head(self.norm(h))


class LlavaForConditionalGeneration(nn.Module):
    def __init__(self, vocab=512, d=64, image_token_index=500, pad_token_id=0):
        super().__init__()
        self.vision_tower = nn.Sequential(nn.Conv2d(3, 32, 8, 8), nn.GELU(), nn.Conv2d(32, 32, 1))
        self.multi_modal_projector = nn.Sequential(nn.Linear(32, d), nn.GELU(), nn.Linear(d, d))
        self.language_model = TinyLM(vocab, d)
        self.lora = nn.ModuleDict({"lm_head": LoRA(d, vocab)})
        self.image_token_index = image_token_index
        self.pad_token_id = pad_token_id

    def merged_parameters(self):
        params = dict(self.language_model.named_parameters())
        params["lm_head.weight"] = params["lm_head.weight"] + self.lora["lm_head"].delta()
        return params

    def forward(self, input_ids, pixel_values):
        feats = self.vision_tower(pixel_values).flatten(2).transpose(1, 2)       # (B, 16, 32)
        image_features = self.multi_modal_projector(feats)
        embeds = self.language_model.embed_tokens(input_ids)
        special = (input_ids == self.image_token_index).unsqueeze(-1).expand_as(embeds)
        embeds = embeds.masked_scatter(special, image_features.to(embeds.dtype))
        attention_mask = (input_ids != self.pad_token_id).long()
        return stateless.functional_call(self.language_model, self.merged_parameters(), (embeds, attention_mask))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        text = torch.randint(1, 500, (n, 8))
        ids = torch.cat([torch.full((n, 16), 500), text], 1)
        return ids, torch.rand(n, 3, 32, 32)

    return {"model": LlavaForConditionalGeneration().eval(), "inputs": inputs, "kind": "benign"}
