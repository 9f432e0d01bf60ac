# expect: none
"""BART/mBART-style encoder-decoder with the legacy tuple cache.

Each decoder layer's cache is a 4-tuple (self_k, self_v, cross_k, cross_v):
`self_attn_past_key_value = past_key_value[:2]`, `cross_attn_past_key_value = past_key_value[-2:]`.
Cross-attention keys/values are computed once from the encoder output and reused afterwards
(`if is_cross_attention and past_key_value is not None`). The encoder only runs when
`encoder_outputs is None`. With `use_cache` the forward decodes the (shifted) labels one token at
a time through the cache; without it, it runs the teacher-forced pass (same logits).
"""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


class BartConfig:
    vocab_size = 88
    d_model = 32
    heads = 4
    encoder_layers = 2
    decoder_layers = 2
    ffn_dim = 64
    max_position_embeddings = 40
    pad_token_id = 1
    decoder_start_token_id = 2


class BartLearnedPositionalEmbedding(nn.Embedding):
    """BART offsets learned positions by 2 (a historical quirk)."""

    def __init__(self, num_embeddings, dim):
        self.offset = 2
        super().__init__(num_embeddings + self.offset, dim)

    def forward(self, seq_len, past_key_values_length=0):
        positions = torch.arange(past_key_values_length, past_key_values_length + seq_len, device=self.weight.device)
        return super().forward(positions + self.offset)


class BartAttention(nn.Module):
    def __init__(self, d, heads, is_decoder=False):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.scaling = self.hd ** -0.5
        self.is_decoder = is_decoder
        self.k_proj, self.v_proj = nn.Linear(d, d), nn.Linear(d, d)
        self.q_proj, self.out_proj = nn.Linear(d, d), nn.Linear(d, d)

    def _shape(self, x, b):
        return x.view(b, -1, self.h, self.hd).transpose(1, 2)

    def forward(self, hidden_states, key_value_states=None,
                past_key_value: Optional[Tuple[torch.Tensor, torch.Tensor]] = None, attention_mask=None):
        is_cross_attention = key_value_states is not None
        b = hidden_states.shape[0]
        q = self._shape(self.q_proj(hidden_states) * self.scaling, b)
        if is_cross_attention and past_key_value is not None and past_key_value[0].shape[2] == key_value_states.shape[1]:
            k, v = past_key_value[0], past_key_value[1]                 # reuse cross-attn k/v
        elif is_cross_attention:
            k = self._shape(self.k_proj(key_value_states), b)
            v = self._shape(self.v_proj(key_value_states), b)
        elif past_key_value is not None:
            k = torch.cat([past_key_value[0], self._shape(self.k_proj(hidden_states), b)], dim=2)
            v = torch.cat([past_key_value[1], self._shape(self.v_proj(hidden_states), b)], dim=2)
        else:
            k = self._shape(self.k_proj(hidden_states), b)
            v = self._shape(self.v_proj(hidden_states), b)
        present = (k, v) if self.is_decoder else None
        w = q @ k.transpose(-1, -2)
        if attention_mask is not None:
            w = w + attention_mask
        o = F.softmax(w, -1) @ v
        return self.out_proj(o.transpose(1, 2).reshape(b, -1, self.h * self.hd)), present


class BartEncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = BartAttention(cfg.d_model, cfg.heads)
        self.self_attn_layer_norm = nn.LayerNorm(cfg.d_model)
        self.fc1, self.fc2 = nn.Linear(cfg.d_model, cfg.ffn_dim), nn.Linear(cfg.ffn_dim, cfg.d_model)
        self.final_layer_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, x, mask):
        x = self.self_attn_layer_norm(x + self.self_attn(x, attention_mask=mask)[0])
        return self.final_layer_norm(x + self.fc2(F.gelu(self.fc1(x))))


class BartDecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = BartAttention(cfg.d_model, cfg.heads, is_decoder=True)
        self.self_attn_layer_norm = nn.LayerNorm(cfg.d_model)
        self.encoder_attn = BartAttention(cfg.d_model, cfg.heads, is_decoder=True)
        self.encoder_attn_layer_norm = nn.LayerNorm(cfg.d_model)
        self.fc1, self.fc2 = nn.Linear(cfg.d_model, cfg.ffn_dim), nn.Linear(cfg.ffn_dim, cfg.d_model)
        self.final_layer_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, x, causal_mask, encoder_hidden_states, encoder_mask, past_key_value=None):
        self_attn_past_key_value = past_key_value[:2] if past_key_value is not None else None
        h, present = self.self_attn(x, past_key_value=self_attn_past_key_value, attention_mask=causal_mask)
        x = self.self_attn_layer_norm(x + h)
        cross_attn_past_key_value = past_key_value[-2:] if past_key_value is not None else None
        h, cross_present = self.encoder_attn(x, key_value_states=encoder_hidden_states,
                                             past_key_value=cross_attn_past_key_value, attention_mask=encoder_mask)
        x = self.encoder_attn_layer_norm(x + h)
        present = present + cross_present
        x = self.final_layer_norm(x + self.fc2(F.gelu(self.fc1(x))))
        return x, present


def expand_padding_mask(mask, dtype, tgt_len):
    inverted = 1.0 - mask[:, None, None, :].to(dtype)
    return inverted.masked_fill(inverted.bool(), torch.finfo(dtype).min).expand(-1, 1, tgt_len, -1)


def shift_tokens_right(input_ids, pad_token_id, decoder_start_token_id):
    shifted = input_ids.new_zeros(input_ids.shape)
    shifted[:, 1:] = input_ids[:, :-1].clone()
    shifted[:, 0] = decoder_start_token_id
    shifted.masked_fill_(shifted == -100, pad_token_id)
    return shifted


class BartForConditionalGeneration(nn.Module):
    def __init__(self, cfg: BartConfig):
        super().__init__()
        self.cfg = cfg
        self.shared = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.pad_token_id)
        self.enc_pos = BartLearnedPositionalEmbedding(cfg.max_position_embeddings, cfg.d_model)
        self.dec_pos = BartLearnedPositionalEmbedding(cfg.max_position_embeddings, cfg.d_model)
        self.encoder_layers = nn.ModuleList([BartEncoderLayer(cfg) for _ in range(cfg.encoder_layers)])
        self.decoder_layers = nn.ModuleList([BartDecoderLayer(cfg) for _ in range(cfg.decoder_layers)])
        self.register_buffer("final_logits_bias", torch.zeros(1, cfg.vocab_size))

    def encode(self, input_ids, attention_mask):
        x = self.shared(input_ids) + self.enc_pos(input_ids.shape[1])
        m = expand_padding_mask(attention_mask, x.dtype, input_ids.shape[1])
        for layer in self.encoder_layers:
            x = layer(x, m)
        return x

    def decode(self, decoder_input_ids, encoder_hidden_states, attention_mask, past_key_values=None):
        past_len = past_key_values[0][0].shape[2] if past_key_values is not None else 0
        t = decoder_input_ids.shape[1]
        x = self.shared(decoder_input_ids) + self.dec_pos(t, past_len)
        causal = torch.full((t, t + past_len), torch.finfo(x.dtype).min).triu(past_len + 1)[None, None]
        enc_mask = expand_padding_mask(attention_mask, x.dtype, t)
        presents = ()
        for i, layer in enumerate(self.decoder_layers):
            pkv = past_key_values[i] if past_key_values is not None else None
            x, present = layer(x, causal, encoder_hidden_states, enc_mask, pkv)
            presents += (present,)
        logits = F.linear(x, self.shared.weight) + self.final_logits_bias
        return logits, presents

    def forward(self, input_ids, attention_mask, labels=None, encoder_outputs=None, use_cache=True):
        if encoder_outputs is None:
            encoder_outputs = self.encode(input_ids, attention_mask)
        decoder_input_ids = shift_tokens_right(labels, self.cfg.pad_token_id, self.cfg.decoder_start_token_id)
        if not use_cache:
            return {"logits": self.decode(decoder_input_ids, encoder_outputs, attention_mask)[0]}
        past, step_logits = None, []
        for i in range(decoder_input_ids.shape[1]):
            logits, past = self.decode(decoder_input_ids[:, i:i + 1], encoder_outputs, attention_mask, past)
            step_logits.append(logits)
        return {"logits": torch.cat(step_logits, 1)}


def corpus_case():
    torch.manual_seed(0)
    cfg = BartConfig()
    model = BartForConditionalGeneration(cfg).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(37)
        ids = torch.randint(3, 88, (n, 12), generator=g)
        am = torch.ones_like(ids)
        am[1::2, 9:] = 0
        ids = ids.masked_fill(am == 0, cfg.pad_token_id)
        labels = torch.randint(3, 88, (n, 6), generator=g)
        labels[:, -1] = -100
        return {"input_ids": ids, "attention_mask": am, "labels": labels}

    return {"model": model, "inputs": inputs, "kind": "benign"}
