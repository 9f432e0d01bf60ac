# expect: none
"""HF-style BERT-mini sequence classifier kept scriptable: the Python-only helpers that build the
padding mask and trim the batch to its longest sequence are ``@torch.jit.ignore``d. The padding
mask comes from ``input_ids != pad_token_id``; the [CLS] pooler (tanh) feeds the classifier."""
import functools

import torch
import torch.nn as nn


@functools.cache
def position_ids(length):
    return torch.arange(length)


class BertLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attention = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, h, pad):
        h = self.ln1(h + self.attention(h, h, h, key_padding_mask=pad, need_weights=False)[0])
        return self.ln2(h + self.ffn(h))


class BertForSequenceClassification(nn.Module):
    def __init__(self, vocab=3000, d=64, depth=2, n_labels=3, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.word_embeddings = nn.Embedding(vocab, d, padding_idx=pad_token_id)
        self.position_embeddings = nn.Embedding(128, d)
        self.emb_ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList(BertLayer(d, 4) for _ in range(depth))
        self.pooler = nn.Linear(d, d)
        self.classifier = nn.Linear(d, n_labels)

    @torch.jit.ignore
    def _trim_and_mask(self, input_ids):
        lengths = (input_ids != self.pad_token_id).sum(1)
        longest = int(lengths.max())
        input_ids = input_ids[:, :longest]
        return input_ids, input_ids == self.pad_token_id

    def forward(self, input_ids):
        input_ids, pad = self._trim_and_mask(input_ids)
        h = self.word_embeddings(input_ids) + self.position_embeddings(position_ids(input_ids.shape[1]))
        h = self.emb_ln(h)
        for layer in self.layers:
            h = layer(h, pad)
        return self.classifier(torch.tanh(self.pooler(h[:, 0])))


def _inputs(n):
    ids = torch.randint(5, 3000, (n, 40))
    lengths = torch.randint(8, 40, (n, 1))
    ids = ids.masked_fill(torch.arange(40) >= lengths, 0)
    ids[:, 0] = 101
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": BertForSequenceClassification().eval(), "inputs": _inputs, "kind": "benign"}
