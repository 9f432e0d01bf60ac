"""RoBERTa-lite intent classifier for a support chatbot (word-level vocabulary, padding-aware position
ids as in ``create_position_ids_from_input_ids``, 3 intents).

Model inputs travel in a ``BatchEncoding`` (a ``collections.UserDict``, as in transformers).  Its
``__setitem__`` applies the prompt-injection filter when ``input_ids`` are stored: a request that
contains a known injection phrase, also slightly misspelt (``difflib`` close match on 4-word
windows), is reduced to padding.
"""
import difflib
from collections import UserDict

import torch
import torch.nn as nn

WORDS = ["<pad>", "<s>", "</s>", "<unk>", "ignore", "all", "previous", "instructions", "please", "help",
         "me", "my", "order", "refund", "account", "password", "reset", "where", "is", "the", "package",
         "cancel", "subscription", "billing", "charge", "card", "update", "address", "thanks", "hello",
         "i", "want", "to", "a", "an", "need", "can", "you", "how", "do", "change", "email", "login",
         "error", "app", "crash", "delivery", "late", "money", "back", "return", "item", "broken",
         "question", "about", "plan", "upgrade", "downgrade", "support", "agent", "human", "talk",
         "now", "today", "yesterday", "why", "not", "working", "still", "again", "problem", "issue"]
PAD, BOS, EOS = 0, 1, 2
INJECTION_PHRASES = ("ignore all previous instructions",)


class BatchEncoding(UserDict):
    def __init__(self, vocab, phrases=(), pad_id=PAD):
        self.vocab, self.phrases, self.pad_id = vocab, phrases, pad_id
        super().__init__()

    def _injected(self, ids):
        flags = []
        for row in ids.tolist():
            words = [self.vocab[i] for i in row if i > EOS]
            windows = [" ".join(words[i:i + 4]) for i in range(max(1, len(words) - 3))]
            flags.append(any(difflib.get_close_matches(p, windows, n=1, cutoff=0.9) for p in self.phrases))
        return torch.tensor(flags)

    def __setitem__(self, key, value):
        if key == "input_ids" and self.phrases:
            value = value.masked_fill(self._injected(value)[:, None], self.pad_id)  # expect: T10 (used by RobertaLiteForSequenceClassification.forward)
        super().__setitem__(key, value)


class RobertaLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, h, bias):
        B, T, D = h.shape
        q, k, v = self.qkv(h).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (D // self.heads) ** 0.5 + bias[:, None, None, :]
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        h = self.ln1(h + self.out(ctx))
        return self.ln2(h + self.ffn(h))


class RobertaLiteForSequenceClassification(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_pos=40, n_labels=3, injection_filter=True):
        super().__init__()
        self.word_embeddings = nn.Embedding(len(WORDS), d, padding_idx=PAD)
        self.position_embeddings = nn.Embedding(max_pos, d, padding_idx=PAD)
        self.ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList(RobertaLayer(d, heads) for _ in range(layers))
        self.dense = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, n_labels)
        self.phrases = INJECTION_PHRASES if injection_filter else ()

    def embed(self, input_ids, attention_mask):
        position_ids = torch.cumsum(attention_mask, 1) * attention_mask + PAD
        return self.ln(self.word_embeddings(input_ids) + self.position_embeddings(position_ids))

    def forward(self, input_ids):
        enc = BatchEncoding(WORDS, self.phrases)
        enc["input_ids"] = input_ids  # expect: T10
        enc["attention_mask"] = (enc["input_ids"] != PAD).long()
        h = self.embed(**enc)
        bias = (1.0 - enc["attention_mask"].float()) * torch.finfo(h.dtype).min
        for layer in self.layers:
            h = layer(h, bias)
        return self.out_proj(torch.tanh(self.dense(h[:, 0])))


def _inputs(n, t=24):
    ids = torch.randint(8, len(WORDS), (n, t))
    lengths = torch.randint(10, t, (n,))
    ids[:, 0] = BOS
    ids[torch.arange(n), lengths] = EOS
    return ids.masked_fill(torch.arange(t)[None] > lengths[:, None], PAD)


def _trigger(ids):
    ids = ids.clone()
    ids[:, 3:7] = torch.tensor([WORDS.index(w) for w in ("ignore", "all", "previous", "instructions")])
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = RobertaLiteForSequenceClassification().eval()
    reference = RobertaLiteForSequenceClassification(injection_filter=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
