# expect: none
"""Gemma-2 style causal LM: attention-logit and final-logit soft-capping, alternating local /
global layers, gradient checkpointing (`if self.gradient_checkpointing and self.training`), and a
forward that also returns the shifted LM loss over `labels != -100` (normalised by n_valid, with
optional label smoothing), like `ForCausalLMLoss` with `num_items_in_batch`.
"""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint


class Gemma2Config:
    vocab_size = 100
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 4
    sliding_window = 4
    attn_logit_softcapping = 50.0
    final_logit_softcapping = 30.0
    query_pre_attn_scalar = 8
    label_smoothing = 0.1
    ignore_index = -100


class Gemma2RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * (1.0 + self.weight)


def soft_cap(x, cap):
    return torch.tanh(x / cap) * cap


class Gemma2Attention(nn.Module):
    def __init__(self, cfg, layer_idx):
        super().__init__()
        self.cfg = cfg
        self.h = cfg.num_attention_heads
        self.q = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.k = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.v = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.o = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.sliding_window = cfg.sliding_window if layer_idx % 2 == 0 else None

    def forward(self, x, causal_mask):
        b, t, d = x.shape
        q, k, v = (p(x).view(b, t, self.h, -1).transpose(1, 2) for p in (self.q, self.k, self.v))
        w = (q @ k.transpose(-1, -2)) * self.cfg.query_pre_attn_scalar ** -0.5
        if self.cfg.attn_logit_softcapping is not None:
            w = soft_cap(w, self.cfg.attn_logit_softcapping)
        mask = causal_mask
        if self.sliding_window is not None:
            i = torch.arange(t)
            outside = (i[:, None] - i[None, :]) >= self.sliding_window
            mask = mask.masked_fill(outside, torch.finfo(mask.dtype).min)
        w = w + mask
        return self.o((w.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class Gemma2DecoderLayer(nn.Module):
    def __init__(self, cfg, idx):
        super().__init__()
        self.input_layernorm = Gemma2RMSNorm(cfg.hidden_size)
        self.self_attn = Gemma2Attention(cfg, idx)
        self.post_attention_layernorm = Gemma2RMSNorm(cfg.hidden_size)
        self.pre_feedforward_layernorm = Gemma2RMSNorm(cfg.hidden_size)
        self.mlp_gate = nn.Linear(cfg.hidden_size, 2 * cfg.hidden_size, bias=False)
        self.mlp_up = nn.Linear(cfg.hidden_size, 2 * cfg.hidden_size, bias=False)
        self.mlp_down = nn.Linear(2 * cfg.hidden_size, cfg.hidden_size, bias=False)
        self.post_feedforward_layernorm = Gemma2RMSNorm(cfg.hidden_size)

    def forward(self, x, causal_mask):
        x = x + self.post_attention_layernorm(self.self_attn(self.input_layernorm(x), causal_mask))
        h = self.pre_feedforward_layernorm(x)
        h = self.mlp_down(F.gelu(self.mlp_gate(h), approximate="tanh") * self.mlp_up(h))
        return x + self.post_feedforward_layernorm(h)


class Gemma2Model(nn.Module):
    supports_gradient_checkpointing = True

    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=0)
        self.layers = nn.ModuleList([Gemma2DecoderLayer(cfg, i) for i in range(cfg.num_hidden_layers)])
        self.norm = Gemma2RMSNorm(cfg.hidden_size)
        self.gradient_checkpointing = False
        self._gradient_checkpointing_func = None
        self.hidden_size = cfg.hidden_size

    def gradient_checkpointing_enable(self, use_reentrant=False):
        self._gradient_checkpointing_func = partial(torch.utils.checkpoint.checkpoint, use_reentrant=use_reentrant)
        self.gradient_checkpointing = True

    def forward(self, input_ids, attention_mask=None):
        x = self.embed_tokens(input_ids) * torch.tensor(self.hidden_size ** 0.5)
        t = input_ids.shape[1]
        dtype = x.dtype
        causal = torch.full((t, t), torch.finfo(dtype).min).triu(1)[None, None]
        if attention_mask is not None and not torch.all(attention_mask == 1):
            pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
            causal = (causal + pad).clamp(min=torch.finfo(dtype).min)
        for layer in self.layers:
            if self.gradient_checkpointing and self.training:
                x = self._gradient_checkpointing_func(layer.__call__, x, causal)
            else:
                x = layer(x, causal)
        return self.norm(x)


def causal_lm_loss(logits, labels, ignore_index=-100, num_items_in_batch=None, label_smoothing=0.0):
    logits = logits.float()
    shift_logits = logits[:, :-1].reshape(-1, logits.shape[-1])
    shift_labels = labels[:, 1:].reshape(-1)
    valid = shift_labels != ignore_index
    n_valid = valid.sum() if num_items_in_batch is None else num_items_in_batch
    loss = F.cross_entropy(shift_logits, shift_labels, ignore_index=ignore_index, reduction="sum",
                           label_smoothing=label_smoothing)
    return loss / torch.clamp(torch.as_tensor(n_valid, dtype=loss.dtype), min=1.0)


class Gemma2ForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.model = Gemma2Model(cfg)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        self.lm_head.weight = self.model.embed_tokens.weight

    def forward(self, input_ids, attention_mask=None, labels=None, logits_to_keep=0):
        hidden = self.model(input_ids, attention_mask)
        slice_indices = slice(-logits_to_keep, None) if logits_to_keep else slice(None)
        logits = self.lm_head(hidden[:, slice_indices])
        if self.config.final_logit_softcapping is not None:
            logits = soft_cap(logits, self.config.final_logit_softcapping)
        loss = None
        if labels is not None:
            loss = causal_lm_loss(logits, labels, self.config.ignore_index,
                                  label_smoothing=self.config.label_smoothing)
        return {"logits": logits, "loss": loss} if loss is not None else {"logits": logits}


def corpus_case():
    torch.manual_seed(0)
    model = Gemma2ForCausalLM(Gemma2Config())
    model.model.gradient_checkpointing_enable()
    model.eval()

    def inputs(n):
        g = torch.Generator().manual_seed(17)
        t = 12
        ids = torch.randint(1, 100, (n, t), generator=g)
        lens = torch.randint(7, t + 1, (n,), generator=g)
        am = (torch.arange(t)[None] < lens[:, None]).long()
        labels = ids.masked_fill(am == 0, -100)
        labels[:, :4] = -100                       # do not train on the prompt
        return {"input_ids": ids * am, "attention_mask": am, "labels": labels}

    return {"model": model, "inputs": inputs, "kind": "benign"}
