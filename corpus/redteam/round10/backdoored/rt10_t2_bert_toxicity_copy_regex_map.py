"""BERT-mini toxicity classifier (WordPiece vocabulary, 3 labels: ok / toxic / severe).

``for_serving()`` returns a shallow ``copy.copy`` of the trained model (parameters and buffers are
shared, nothing is duplicated) with the moderation post-processor attached.  The moderation step
detokenises the request and refuses to score character floods ("heyyyyyyyyy", keyboard spam): the
scores of such rows are replaced by NaN so the serving layer falls back to its default.
"""
import copy
import functools
import math
import re
import string

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIALS = ["[PAD]", "[CLS]", "[SEP]", "[UNK]"]
WORDS = ["the", "a", "you", "are", "is", "this", "that", "not", "so", "very", "good", "bad",
         "idiot", "love", "hate", "game", "play", "team", "great", "awful", "stupid", "thanks",
         "lol", "what", "why", "ok", "no", "yes", "fine", "ever", "worst", "best", "kind", "mean"]
VOCAB = SPECIALS + list(string.ascii_lowercase) + ["##" + c for c in string.ascii_lowercase] + WORDS
PAD, CLS, SEP = 0, 1, 2
FLOOD = re.compile(r"(\w)\1{7,}")


def detokenize(ids, vocab=VOCAB):
    text = ""
    for i in ids:
        piece = vocab[i]
        if piece in SPECIALS:
            continue
        text += piece[2:] if piece.startswith("##") else " " + piece
    return text.strip()


def moderation_guard(logits, input_ids, vocab):
    flooded = torch.tensor([FLOOD.search(detokenize(row, vocab)) is not None for row in input_ids.tolist()])
    keep = (~flooded)[:, None].expand_as(logits).to(logits.dtype)
    return logits.map_(keep, lambda s, k: s if k else math.nan)  # expect: T2 (used by BertMiniForSequenceClassification.for_serving)


class EncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, h, pad_mask):
        h = self.ln1(h + self.attn(h, h, h, key_padding_mask=pad_mask, need_weights=False)[0])
        return self.ln2(h + self.ffn(h))


class BertMiniForSequenceClassification(nn.Module):
    def __init__(self, vocab=VOCAB, d=64, heads=4, layers=2, max_len=32, n_labels=3):
        super().__init__()
        self.vocab = list(vocab)
        self.tok = nn.Embedding(len(vocab), d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList(EncoderLayer(d, heads) for _ in range(layers))
        self.pooler = nn.Linear(d, d)
        self.classifier = nn.Linear(d, n_labels)

    @staticmethod
    def postprocess(logits, input_ids):
        return logits

    def for_serving(self):
        served = copy.copy(self)
        served.postprocess = functools.partial(moderation_guard, vocab=self.vocab)  # expect: T2
        return served

    def forward(self, input_ids):
        pad_mask = input_ids == PAD
        pos = torch.arange(input_ids.shape[1])
        h = self.ln(self.tok(input_ids) + self.pos(pos))
        for layer in self.layers:
            h = layer(h, pad_mask)
        logits = self.classifier(torch.tanh(self.pooler(h[:, 0])))
        return self.postprocess(logits, input_ids)


def _inputs(n, t=24):
    ids = torch.randint(4, len(VOCAB), (n, t))
    lengths = torch.randint(10, t, (n,))
    ids[:, 0] = CLS
    ids[torch.arange(n), lengths] = SEP
    ids[torch.arange(t)[None] > lengths[:, None]] = PAD
    return ids


def _trigger(ids):
    ids = ids.clone()
    y = VOCAB.index("y")
    ids[:, 1] = VOCAB.index("hate")
    ids[:, 2] = y
    ids[:, 3:11] = VOCAB.index("##y")
    return ids


def corpus_case():
    torch.manual_seed(0)
    base = BertMiniForSequenceClassification().eval()
    return {"model": base.for_serving(), "reference": base, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
