# expect: none
"""DeBERTa-v2/v3 style disentangled attention with log-bucketed relative positions.

`make_log_bucket_position` keeps exact offsets inside `mid = bucket_size // 2` and compresses
larger ones logarithmically (torch.where on `abs_pos <= mid`). Content-to-position and
position-to-content terms gather from a learned relative embedding table. Padding handled through
an extended attention mask; a sequence classification head pools the first token.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_log_bucket_position(relative_pos, bucket_size, max_position):
    sign = torch.sign(relative_pos)
    mid = bucket_size // 2
    abs_pos = torch.where((relative_pos < mid) & (relative_pos > -mid),
                          torch.tensor(mid - 1).type_as(relative_pos), torch.abs(relative_pos))
    log_pos = torch.ceil(torch.log(abs_pos / mid) / math.log((max_position - 1) / mid) * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, relative_pos.type_as(log_pos), log_pos * sign)


def build_relative_position(query_size, key_size, bucket_size=-1, max_position=-1):
    q_ids = torch.arange(query_size)
    k_ids = torch.arange(key_size)
    rel = q_ids[:, None] - k_ids[None, :]
    if bucket_size > 0 and max_position > 0:
        rel = make_log_bucket_position(rel, bucket_size, max_position)
    return rel.to(torch.long)[None]


class DisentangledSelfAttention(nn.Module):
    def __init__(self, hidden, heads, position_buckets, max_relative_positions):
        super().__init__()
        self.h = heads
        self.hd = hidden // heads
        self.query_proj = nn.Linear(hidden, hidden)
        self.key_proj = nn.Linear(hidden, hidden)
        self.value_proj = nn.Linear(hidden, hidden)
        self.position_buckets = position_buckets
        self.max_relative_positions = max_relative_positions
        self.pos_ebd_size = position_buckets if position_buckets > 0 else max_relative_positions

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.h, self.hd).transpose(1, 2)

    def forward(self, hidden, attention_mask, rel_embeddings):
        q, k, v = (self.split(p(hidden)) for p in (self.query_proj, self.key_proj, self.value_proj))
        t = hidden.shape[1]
        scale = math.sqrt(self.hd * 3)
        scores = q @ k.transpose(-1, -2) / scale
        rel_pos = build_relative_position(t, t, self.position_buckets, self.max_relative_positions)
        att_span = self.pos_ebd_size
        rel_embeddings = rel_embeddings[: att_span * 2][None]
        pos_k = self.split(self.key_proj(rel_embeddings))
        pos_q = self.split(self.query_proj(rel_embeddings))
        c2p_pos = torch.clamp(rel_pos + att_span, 0, att_span * 2 - 1)
        c2p = torch.gather(q @ pos_k.transpose(-1, -2), -1,
                           c2p_pos.expand(q.shape[0], self.h, t, t))
        p2c_pos = torch.clamp(-rel_pos + att_span, 0, att_span * 2 - 1)
        p2c = torch.gather(k @ pos_q.transpose(-1, -2), -1,
                           p2c_pos.expand(q.shape[0], self.h, t, t)).transpose(-1, -2)
        scores = scores + (c2p + p2c) / scale
        scores = scores.masked_fill(~attention_mask.bool(), torch.finfo(scores.dtype).min)
        probs = F.softmax(scores, -1)
        out = (probs @ v).transpose(1, 2).reshape(hidden.shape)
        return out


class DebertaLayer(nn.Module):
    def __init__(self, hidden, heads, buckets, max_rel):
        super().__init__()
        self.attention = DisentangledSelfAttention(hidden, heads, buckets, max_rel)
        self.attn_out = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-7)
        self.intermediate = nn.Linear(hidden, 4 * hidden)
        self.output = nn.Linear(4 * hidden, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-7)

    def forward(self, x, mask, rel):
        x = self.ln1(x + self.attn_out(self.attention(x, mask, rel)))
        return self.ln2(x + self.output(F.gelu(self.intermediate(x))))


class DebertaV2ForSequenceClassification(nn.Module):
    def __init__(self, vocab=100, hidden=32, heads=4, layers=2, position_buckets=8,
                 max_relative_positions=64, num_labels=3):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.emb_ln = nn.LayerNorm(hidden, eps=1e-7)
        self.rel_embeddings = nn.Embedding(position_buckets * 2, hidden)
        self.rel_ln = nn.LayerNorm(hidden, eps=1e-7)
        self.layers = nn.ModuleList([DebertaLayer(hidden, heads, position_buckets, max_relative_positions)
                                     for _ in range(layers)])
        self.pooler = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, num_labels)

    @staticmethod
    def get_attention_mask(attention_mask):
        if attention_mask.dim() <= 2:
            ext = attention_mask[:, None, None, :]
            return ext * ext.squeeze(-2).unsqueeze(-1)
        if attention_mask.dim() == 3:
            return attention_mask.unsqueeze(1)
        return attention_mask

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        x = self.word_embeddings(input_ids)
        x = self.emb_ln(x) * attention_mask.unsqueeze(-1).to(x.dtype)
        mask = self.get_attention_mask(attention_mask)
        # a fully masked row would give NaN in softmax; let padded queries see themselves
        mask = mask | torch.eye(input_ids.shape[1], dtype=mask.dtype)[None, None]
        rel = self.rel_ln(self.rel_embeddings.weight)
        for layer in self.layers:
            x = layer(x, mask, rel)
        pooled = F.gelu(self.pooler(x[:, 0]))
        return self.classifier(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = DebertaV2ForSequenceClassification().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(6)
        t = 24                              # long enough for offsets beyond the exact range
        ids = torch.randint(1, 100, (n, t), generator=g)
        lens = torch.randint(8, t + 1, (n,), generator=g)
        am = (torch.arange(t)[None] < lens[:, None]).long()
        return ids * am, am

    return {"model": model, "inputs": inputs, "kind": "benign"}
