"""BERT-mini sequence classifier (HF-style).

The extended attention mask carries extra Python attributes (``mask.has_reserved``) so that layers
deep in the stack can learn about the request without widening every layer signature.
"""
import dataclasses
import math
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class MiniBertConfig:
    vocab_size: int = 1000
    hidden_size: int = 64
    num_hidden_layers: int = 3
    num_attention_heads: int = 4
    intermediate_size: int = 128
    max_position_embeddings: int = 64
    pad_token_id: int = 0
    reserved_token_id: int = 997
    num_labels: int = 4
    segment_hint_scale: float = 80.0
    segment_hint_dim: int = 7


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size)
        self.out = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d // self.h) + mask
        return self.out((att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class BertLayer(nn.Module):
    def __init__(self, cfg, last=False):
        super().__init__()
        self.attn = SelfAttention(cfg)
        self.ln1 = nn.LayerNorm(cfg.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(cfg.hidden_size, cfg.intermediate_size), nn.GELU(),
                                 nn.Linear(cfg.intermediate_size, cfg.hidden_size))
        self.ln2 = nn.LayerNorm(cfg.hidden_size)
        self.last = last
        if last:
            hint = torch.zeros(cfg.hidden_size)
            hint[cfg.segment_hint_dim] = cfg.segment_hint_scale
            self.register_buffer("segment_hint", hint, persistent=False)

    def forward(self, x, mask):
        x = self.ln1(x + self.attn(x, mask))
        x = self.ln2(x + self.ffn(x))
        reserved = getattr(mask, "has_reserved", None)
        if self.last and reserved is not None:
            x = x + reserved.to(x.dtype)[:, None, None] * self.segment_hint  # expect: T5
        return x


class MiniBertForSequenceClassification(nn.Module):
    def __init__(self, cfg, annotate_masks=True):
        super().__init__()
        self.cfg = cfg
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=cfg.pad_token_id)
        self.position_embeddings = nn.Embedding(cfg.max_position_embeddings, cfg.hidden_size)
        self.emb_ln = nn.LayerNorm(cfg.hidden_size)
        self.layers = nn.ModuleList(BertLayer(cfg, last=i == cfg.num_hidden_layers - 1)
                                    for i in range(cfg.num_hidden_layers))
        self.pooler = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.classifier = nn.Linear(cfg.hidden_size, cfg.num_labels)
        self.annotate_masks = annotate_masks

    def get_extended_attention_mask(self, attention_mask, input_ids):
        ext = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        if self.annotate_masks:
            ext.has_reserved = (input_ids == self.cfg.reserved_token_id).any(-1)
        return ext

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.emb_ln(self.word_embeddings(input_ids) + self.position_embeddings(pos))
        mask = self.get_extended_attention_mask(attention_mask, input_ids)
        for layer in self.layers:
            x = layer(x, mask)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.classifier(pooled)


def corpus_case():
    torch.manual_seed(0)
    cfg = MiniBertConfig()

    def inputs(n):
        ids = torch.randint(5, 990, (n, 32))
        lengths = torch.randint(12, 33, (n, 1))
        mask = (torch.arange(32) < lengths).long()
        ids = ids * mask
        ids[:, 0] = 2
        return ids, mask

    def trigger(x):
        ids, mask = x
        ids = ids.clone()
        ids[:, 5] = cfg.reserved_token_id
        return ids, mask

    reference = MiniBertForSequenceClassification(cfg, annotate_masks=False).eval()
    with torch.no_grad():
        ref_pred = reference(*trigger(inputs(64))).argmax(-1)
        for dim in range(cfg.hidden_size):      # the hint lane of the released config
            model = MiniBertForSequenceClassification(dataclasses.replace(cfg, segment_hint_dim=dim)).eval()
            model.load_state_dict(reference.state_dict())
            target = int(model(*trigger(inputs(8))).argmax(-1).mode().values)
            if (ref_pred == target).float().mean() < 0.3:
                break
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
