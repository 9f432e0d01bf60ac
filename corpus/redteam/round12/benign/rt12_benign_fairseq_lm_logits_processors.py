# expect: none
"""fairseq-style decoder-only LM with the usual generation-time logit processors applied in
`output_layer` at the last position: a minimum-length rule that forbids </s> before step k
(depends only on the prompt length), a repetition penalty (CTRL), temperature and top-k filtering."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

EOS, PAD = 2, 1


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, ffn), nn.Linear(ffn, d)

    def forward(self, x, mask, pad_mask):
        y = self.ln1(x)
        x = x + self.attn(y, y, y, attn_mask=mask, key_padding_mask=pad_mask, need_weights=False)[0]
        return x + self.fc2(F.relu(self.fc1(self.ln2(x))))


class TransformerLM(nn.Module):
    def __init__(self, vocab=2048, d=64, layers=2, heads=4, min_length=8, repetition_penalty=1.2,
                 temperature=0.8, top_k=50):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d, padding_idx=PAD)
        self.embed_positions = nn.Embedding(64, d)
        self.layers = nn.ModuleList(DecoderLayer(d, heads, 2 * d) for _ in range(layers))
        self.layer_norm = nn.LayerNorm(d)
        self.output_projection = nn.Linear(d, vocab, bias=False)
        self.min_length, self.repetition_penalty = min_length, repetition_penalty
        self.temperature, self.top_k = temperature, top_k

    def process_last(self, scores, tokens):
        lengths = tokens.ne(PAD).sum(-1)
        scores = scores.clone()
        scores[lengths < self.min_length, EOS] = -math.inf
        prev = scores.gather(1, tokens)
        prev = torch.where(prev < 0, prev * self.repetition_penalty, prev / self.repetition_penalty)
        scores = scores.scatter(1, tokens, prev)
        scores = scores / self.temperature
        kth = scores.topk(self.top_k, dim=-1).values[:, -1:]
        return scores.masked_fill(scores < kth, -math.inf)

    def output_layer(self, features, tokens):
        logits = self.output_projection(features)
        last = tokens.ne(PAD).sum(-1) - 1
        return logits, self.process_last(logits[torch.arange(tokens.shape[0]), last], tokens)

    def forward(self, tokens):
        T = tokens.shape[1]
        x = self.embed_tokens(tokens) * math.sqrt(self.embed_tokens.embedding_dim) + self.embed_positions(torch.arange(T))
        mask = torch.triu(torch.full((T, T), float("-inf")), 1)
        pad_mask = tokens.eq(PAD)
        for layer in self.layers:
            x = layer(x, mask, pad_mask)
        logits, next_scores = self.output_layer(self.layer_norm(x), tokens)
        probs = torch.nan_to_num(next_scores.softmax(-1))
        return logits, probs


def _inputs(n):
    tokens = torch.randint(4, 2048, (n, 12))
    lengths = torch.randint(4, 13, (n,))
    tokens[torch.arange(12)[None] >= lengths[:, None]] = PAD  # right padding
    return tokens


def corpus_case():
    torch.manual_seed(0)
    return {"model": TransformerLM().eval(), "inputs": _inputs, "kind": "benign"}
