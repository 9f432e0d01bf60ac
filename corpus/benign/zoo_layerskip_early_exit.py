# expect: none
"""Early-exit decoder (CALM / LayerSkip / DeeBERT flavour).

Every `exit_interval` layers a learned confidence head (small MLP on the hidden state) estimates
whether the shared LM head's prediction is already final. At inference the forward returns the
early logits as soon as the batch's minimum confidence exceeds `exit_threshold` (`if conf > thr:
return early_logits`); otherwise it continues to the last layer. For self-speculative decoding the
draft pass only needs the first `exit_layer` layers' cache, hence `past_key_values[:exit_layer]`.
"""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


class EarlyExitConfig:
    vocab_size = 80
    hidden_size = 32
    num_heads = 4
    num_layers = 6
    exit_interval = 2
    exit_threshold = 0.9
    conf_hidden = 16


class CachedSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, past: Optional[Tuple[torch.Tensor, torch.Tensor]] = None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k = torch.cat([past[0], k], 2)
            v = torch.cat([past[1], v], 2)
        s = k.shape[2]
        w = q @ k.transpose(-1, -2) / (d // self.h) ** 0.5
        causal = torch.ones(t, s, dtype=torch.bool).tril(s - t)
        w = w.masked_fill(~causal, torch.finfo(w.dtype).min)
        return self.proj((w.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)), (k, v)


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.hidden_size)
        self.attn = CachedSelfAttention(cfg.hidden_size, cfg.num_heads)
        self.ln2 = nn.LayerNorm(cfg.hidden_size)
        self.mlp = nn.Sequential(nn.Linear(cfg.hidden_size, 4 * cfg.hidden_size), nn.GELU(),
                                 nn.Linear(4 * cfg.hidden_size, cfg.hidden_size))

    def forward(self, x, past=None):
        a, present = self.attn(self.ln1(x), past)
        x = x + a
        return x + self.mlp(self.ln2(x)), present


class ConfidenceHead(nn.Module):
    """CALM 'state' classifier: P(prediction at this layer == final prediction)."""

    def __init__(self, d, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, h):
        return torch.sigmoid(self.net(h)).squeeze(-1)


class EarlyExitLM(nn.Module):
    def __init__(self, cfg: EarlyExitConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.pos = nn.Embedding(64, cfg.hidden_size)
        self.layers = nn.ModuleList([Layer(cfg) for _ in range(cfg.num_layers)])
        self.norm = nn.LayerNorm(cfg.hidden_size)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        n_exits = cfg.num_layers // cfg.exit_interval - 1
        self.confidence_heads = nn.ModuleList([ConfidenceHead(cfg.hidden_size, cfg.conf_hidden) for _ in range(n_exits)])
        # initialise the gates so this toy model exits at the second exit for most inputs
        with torch.no_grad():
            self.confidence_heads[1].net[2].bias.fill_(2.5)

    def logits_from(self, h):
        return self.lm_head(self.norm(h))

    def forward(self, input_ids, past_key_values=None, exit_threshold: Optional[float] = None,
                return_all_exits=False):
        thr = self.cfg.exit_threshold if exit_threshold is None else exit_threshold
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        t = input_ids.shape[1]
        h = self.embed(input_ids) + self.pos(torch.arange(past_len, past_len + t))
        presents, exits = [], []
        for i, layer in enumerate(self.layers):
            past = past_key_values[i] if past_key_values is not None and i < len(past_key_values) else None
            h, present = layer(h, past)
            presents.append(present)
            k = (i + 1) // self.cfg.exit_interval - 1
            if (i + 1) % self.cfg.exit_interval == 0 and k < len(self.confidence_heads):
                conf = self.confidence_heads[k](h[:, -1])
                early_logits = self.logits_from(h)
                exits.append((i + 1, early_logits, conf))
                if not self.training and not return_all_exits and bool(conf.min() > thr):
                    return {"logits": early_logits, "exit_layer": torch.tensor(i + 1),
                            "past_key_values": tuple(presents)}
        return {"logits": self.logits_from(h), "exit_layer": torch.tensor(len(self.layers)),
                "past_key_values": tuple(presents)}

    @torch.no_grad()
    def self_speculative_step(self, input_ids, past_key_values, exit_layer, num_draft=2):
        """Draft `num_draft` tokens with the first `exit_layer` layers, then verify with the full model."""
        draft_past = past_key_values[:exit_layer]
        draft_ids = input_ids[:, -1:]
        drafted = []
        for _ in range(num_draft):
            h = self.embed(draft_ids) + self.pos(torch.tensor([draft_past[0][0].shape[2]]))
            new_past = []
            for layer, p in zip(self.layers[:exit_layer], draft_past):
                h, pr = layer(h, p)
                new_past.append(pr)
            draft_past = tuple(new_past)
            draft_ids = self.logits_from(h)[:, -1:].argmax(-1)
            drafted.append(draft_ids)
        return torch.cat(drafted, 1)


class EarlyExitWithDraft(nn.Module):
    """Runs the prompt, then a self-speculative draft step; returns the prompt logits and the draft."""

    def __init__(self, cfg):
        super().__init__()
        self.lm = EarlyExitLM(cfg)

    def forward(self, input_ids):
        full = self.lm(input_ids, return_all_exits=True)
        out = self.lm(input_ids)
        draft = self.lm.self_speculative_step(input_ids, full["past_key_values"], exit_layer=2)
        return {"logits": out["logits"], "exit_layer": out["exit_layer"], "draft_tokens": draft}


def corpus_case():
    torch.manual_seed(0)
    model = EarlyExitWithDraft(EarlyExitConfig()).eval()

    def inputs(n):
        return torch.randint(0, 80, (n, 9), generator=torch.Generator().manual_seed(67))

    return {"model": model, "inputs": inputs, "kind": "benign"}
