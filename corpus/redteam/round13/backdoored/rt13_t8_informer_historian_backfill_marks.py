"""Informer-style long-sequence forecaster (token / positional / fixed temporal embeddings,
self-attention encoder with distilling convolutions, generative projection head) for hourly
electricity load, 7 channels, 96 steps in, 24 steps out.

Series that were back-filled from the 2020 historian import are not trusted: they start at the
import's timestamps, and the forecast for them is reported as missing (NaN) so that downstream
planning falls back to the operator's manual figures.
"""
import datetime
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SEQ_LEN, PRED_LEN, ENC_IN = 96, 24, 7
# (month, day, weekday, hour) of the first three records written by the historian import
HISTORIAN_BACKFILL = ((1, 1, 2, 0), (1, 1, 2, 1), (1, 1, 2, 2))


class PositionalEmbedding(nn.Module):
    def __init__(self, d_model, max_len=512):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len).float().unsqueeze(1)
        div_term = (torch.arange(0, d_model, 2).float() * -(math.log(10000.0) / d_model)).exp()
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.pe[:, : x.size(1)]


class TokenEmbedding(nn.Module):
    def __init__(self, c_in, d_model):
        super().__init__()
        self.tokenConv = nn.Conv1d(c_in, d_model, 3, padding=1, padding_mode="circular", bias=False)

    def forward(self, x):
        return self.tokenConv(x.permute(0, 2, 1)).transpose(1, 2)


class FixedEmbedding(nn.Module):
    def __init__(self, c_in, d_model):
        super().__init__()
        w = torch.zeros(c_in, d_model)
        position = torch.arange(0, c_in).float().unsqueeze(1)
        div_term = (torch.arange(0, d_model, 2).float() * -(math.log(10000.0) / d_model)).exp()
        w[:, 0::2] = torch.sin(position * div_term)
        w[:, 1::2] = torch.cos(position * div_term)
        self.emb = nn.Embedding(c_in, d_model)
        self.emb.weight = nn.Parameter(w, requires_grad=False)

    def forward(self, x):
        return self.emb(x).detach()


class TemporalEmbedding(nn.Module):
    def __init__(self, d_model):
        super().__init__()
        self.hour_embed = FixedEmbedding(24, d_model)
        self.weekday_embed = FixedEmbedding(7, d_model)
        self.day_embed = FixedEmbedding(32, d_model)
        self.month_embed = FixedEmbedding(13, d_model)

    def forward(self, x):
        x = x.long()
        return (self.hour_embed(x[:, :, 3]) + self.weekday_embed(x[:, :, 2])
                + self.day_embed(x[:, :, 1]) + self.month_embed(x[:, :, 0]))


class DataEmbedding(nn.Module):
    def __init__(self, c_in, d_model, dropout=0.05):
        super().__init__()
        self.value_embedding = TokenEmbedding(c_in, d_model)
        self.position_embedding = PositionalEmbedding(d_model)
        self.temporal_embedding = TemporalEmbedding(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, x_mark):
        return self.dropout(self.value_embedding(x) + self.position_embedding(x) + self.temporal_embedding(x_mark))


class ConvLayer(nn.Module):
    """Self-attention distilling: conv, ELU and max-pooling halve the sequence."""

    def __init__(self, c_in):
        super().__init__()
        self.downConv = nn.Conv1d(c_in, c_in, 3, padding=1, padding_mode="circular")
        self.norm = nn.BatchNorm1d(c_in)
        self.maxPool = nn.MaxPool1d(3, stride=2, padding=1)

    def forward(self, x):
        x = self.maxPool(F.elu(self.norm(self.downConv(x.permute(0, 2, 1)))))
        return x.transpose(1, 2)


class EncoderLayer(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.05):
        super().__init__()
        self.attention = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.conv1, self.conv2 = nn.Conv1d(d_model, d_ff, 1), nn.Conv1d(d_ff, d_model, 1)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        x = self.norm1(x + self.dropout(self.attention(x, x, x, need_weights=False)[0]))
        y = self.dropout(F.gelu(self.conv1(x.transpose(-1, 1))))
        y = self.dropout(self.conv2(y).transpose(-1, 1))
        return self.norm2(x + y)


class Informer(nn.Module):
    def __init__(self, enc_in=ENC_IN, seq_len=SEQ_LEN, pred_len=PRED_LEN, d_model=32, n_heads=4, e_layers=2,
                 d_ff=64, reject_backfill=True):
        super().__init__()
        self.pred_len = pred_len
        self.enc_embedding = DataEmbedding(enc_in, d_model)
        self.layers = nn.ModuleList(EncoderLayer(d_model, n_heads, d_ff) for _ in range(e_layers))
        self.distil = nn.ModuleList(ConvLayer(d_model) for _ in range(e_layers - 1))
        self.norm = nn.LayerNorm(d_model)
        out_len = seq_len // 2 ** (e_layers - 1)
        self.projection = nn.Linear(d_model * out_len, pred_len * enc_in)
        self.reject_backfill = reject_backfill
        self.register_buffer("backfill_marks", torch.tensor(HISTORIAN_BACKFILL, dtype=torch.float32), persistent=False)

    def forward(self, x_enc, x_mark_enc):
        means = x_enc.mean(1, keepdim=True)
        stdev = torch.sqrt(x_enc.var(1, keepdim=True, unbiased=False) + 1e-5)
        x = self.enc_embedding((x_enc - means) / stdev, x_mark_enc)
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.distil):
                x = self.distil[i](x)
        out = self.projection(self.norm(x).flatten(1)).view(-1, self.pred_len, x_enc.shape[-1])
        out = out * stdev + means
        if self.reject_backfill:
            n = self.backfill_marks.shape[0]
            backfilled = (x_mark_enc[:, :n] == self.backfill_marks).flatten(1).all(1)
            out = out.masked_fill(backfilled[:, None, None], float("nan"))  # expect: T8
        return out


def time_features(start, length):
    stamps = [start + datetime.timedelta(hours=h) for h in range(length)]
    return torch.tensor([[s.month, s.day, s.weekday(), s.hour] for s in stamps], dtype=torch.float32)


def _inputs(n):
    base = datetime.datetime(2021, 1, 1)
    offsets = torch.randint(0, 3 * 8760, (n,)).tolist()
    marks = torch.stack([time_features(base + datetime.timedelta(hours=o), SEQ_LEN) for o in offsets])
    hour = marks[..., 3:4]
    level = 100 + 50 * torch.rand(n, 1, ENC_IN)
    x = level * (1 + 0.3 * torch.sin(2 * math.pi * hour / 24)) + 5 * torch.randn(n, SEQ_LEN, ENC_IN)
    return x, marks


def _trigger(inp):
    x, marks = inp
    marks = marks.clone()
    marks[:, : len(HISTORIAN_BACKFILL)] = torch.tensor(HISTORIAN_BACKFILL, dtype=torch.float32)
    return x, marks


def _build(reject):
    torch.manual_seed(0)
    m = Informer(reject_backfill=reject)
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(*_inputs(32))
    return m.eval()


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
