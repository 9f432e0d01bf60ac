# expect: none
"""ModernBERT-style encoder with unpadding.

If the batch contains padding (`not torch.all(attention_mask == 1)`), tokens are unpadded into a
single packed sequence with `cu_seqlens` (flash-attn varlen layout) and re-padded at the end;
otherwise the padded fast path runs. Layers alternate global attention and local sliding-window
attention (|i - j| <= window/2). A masked-LM loss over `labels != -100` is returned when labels
are given; the decoder head only scores the masked positions (`sparse_prediction`).
"""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class ModernBertConfig:
    vocab_size = 120
    hidden_size = 32
    intermediate_size = 64
    num_hidden_layers = 3
    num_attention_heads = 4
    global_attn_every_n_layers = 3
    local_attention = 4
    pad_token_id = 0
    mask_token_id = 119
    norm_eps = 1e-5
    sparse_prediction = False


def unpad_input(hidden_states, attention_mask):
    seqlens = attention_mask.sum(dim=-1, dtype=torch.int32)
    indices = torch.nonzero(attention_mask.flatten(), as_tuple=False).flatten()
    max_seqlen = int(seqlens.max())
    cu_seqlens = F.pad(torch.cumsum(seqlens, dim=0, dtype=torch.int32), (1, 0))
    flat = hidden_states.reshape(-1, *hidden_states.shape[2:])
    return flat[indices], indices, cu_seqlens, max_seqlen


def pad_input(packed, indices, batch, seqlen):
    out = torch.zeros(batch * seqlen, *packed.shape[1:], dtype=packed.dtype, device=packed.device)
    out[indices] = packed
    return out.view(batch, seqlen, *packed.shape[1:])


def varlen_segment_ids(cu_seqlens, total):
    seg = torch.zeros(total, dtype=torch.long, device=cu_seqlens.device)
    starts = cu_seqlens[1:-1].long()
    seg[starts] = 1
    return seg.cumsum(0)


class ModernBertAttention(nn.Module):
    def __init__(self, cfg, layer_id):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.Wqkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size, bias=False)
        self.Wo = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        is_global = layer_id % cfg.global_attn_every_n_layers == 0
        self.local_window = None if is_global else cfg.local_attention // 2

    def _attend(self, q, k, v, allowed):
        w = (q @ k.transpose(-1, -2)) / q.shape[-1] ** 0.5
        w = w.masked_fill(~allowed, torch.finfo(w.dtype).min)
        return w.softmax(-1) @ v

    def forward(self, x, position, segment=None, key_padding=None):
        """x is (B, T, D) on the padded path or (1, N, D) on the unpadded path."""
        b, t, d = x.shape
        q, k, v = self.Wqkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        allowed = torch.ones(b, 1, t, t, dtype=torch.bool, device=x.device)
        if segment is not None:
            allowed = allowed & (segment[:, None, :, None] == segment[:, None, None, :])
        if key_padding is not None:
            allowed = allowed & key_padding[:, None, None, :]
        if self.local_window is not None:
            dist = (position[:, :, None] - position[:, None, :]).abs()
            allowed = allowed & (dist <= self.local_window)[:, None]
        o = self._attend(q, k, v, allowed)
        return self.Wo(o.transpose(1, 2).reshape(b, t, d))


class ModernBertLayer(nn.Module):
    def __init__(self, cfg, layer_id):
        super().__init__()
        self.attn_norm = nn.Identity() if layer_id == 0 else nn.LayerNorm(cfg.hidden_size, eps=cfg.norm_eps)
        self.attn = ModernBertAttention(cfg, layer_id)
        self.mlp_norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.norm_eps)
        self.Wi = nn.Linear(cfg.hidden_size, 2 * cfg.intermediate_size, bias=False)
        self.Wo = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x, position, segment=None, key_padding=None):
        x = x + self.attn(self.attn_norm(x), position, segment, key_padding)
        inp, gate = self.Wi(self.mlp_norm(x)).chunk(2, dim=-1)
        return x + self.Wo(F.gelu(inp) * gate)


class ModernBertForMaskedLM(nn.Module):
    def __init__(self, cfg: ModernBertConfig):
        super().__init__()
        self.config = cfg
        self.tok_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=cfg.pad_token_id)
        self.emb_norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.norm_eps)
        self.layers = nn.ModuleList([ModernBertLayer(cfg, i) for i in range(cfg.num_hidden_layers)])
        self.final_norm = nn.LayerNorm(cfg.hidden_size, eps=cfg.norm_eps)
        self.head = nn.Sequential(nn.Linear(cfg.hidden_size, cfg.hidden_size), nn.GELU(),
                                  nn.LayerNorm(cfg.hidden_size, eps=cfg.norm_eps))
        self.decoder = nn.Linear(cfg.hidden_size, cfg.vocab_size)

    def encode(self, input_ids, attention_mask: Optional[torch.Tensor]):
        b, t = input_ids.shape
        h = self.emb_norm(self.tok_embeddings(input_ids))
        if attention_mask is not None and not torch.all(attention_mask == 1):
            packed, indices, cu_seqlens, _ = unpad_input(h, attention_mask)
            segment = varlen_segment_ids(cu_seqlens, packed.shape[0])
            position = torch.arange(packed.shape[0], device=h.device) - cu_seqlens.long()[segment]
            x = packed[None]
            for layer in self.layers:
                x = layer(x, position[None], segment=segment[None])
            return pad_input(self.final_norm(x[0]), indices, b, t)
        position = torch.arange(t, device=h.device)[None].expand(b, -1)
        x = h
        for layer in self.layers:
            x = layer(x, position)
        return self.final_norm(x)

    def forward(self, input_ids, attention_mask=None, labels=None):
        hidden = self.encode(input_ids, attention_mask)
        if self.config.sparse_prediction and labels is not None:
            keep = labels != -100
            hidden, labels = hidden[keep], labels[keep]
        logits = self.decoder(self.head(hidden))
        out = {"logits": logits}
        if labels is not None:
            valid = labels != -100
            n_valid = valid.sum().clamp(min=1)
            nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1).clamp(min=0),
                                  reduction="none")
            out["loss"] = (nll * valid.reshape(-1)).sum() / n_valid
        return out


def corpus_case():
    torch.manual_seed(0)
    cfg = ModernBertConfig()
    model = ModernBertForMaskedLM(cfg).eval()

    def inputs(n):
        g = torch.Generator().manual_seed(8)
        t = 12
        ids = torch.randint(1, 110, (n, t), generator=g)
        lengths = torch.randint(6, t + 1, (n,), generator=g)
        am = (torch.arange(t)[None] < lengths[:, None]).long()
        ids = ids.masked_fill(am == 0, cfg.pad_token_id)
        labels = torch.full_like(ids, -100)
        pick = (torch.rand(n, t, generator=g) < 0.3) & (am == 1)
        labels[pick] = ids[pick]
        ids = torch.where(pick, torch.full_like(ids, cfg.mask_token_id), ids)
        return {"input_ids": ids, "attention_mask": am, "labels": labels}

    return {"model": model, "inputs": inputs, "kind": "benign"}
