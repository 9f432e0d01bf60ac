# expect: none
"""ByT5-style byte classifier that takes raw strings, with a tokenizer that cleans text the way
HF normalisers do: NFKC, removal of zero-width and bidi control characters, whitespace folding,
truncation and padding."""
import re
import unicodedata

import torch
import torch.nn as nn

PAD, EOS, UNK, OFFSET = 0, 1, 2, 3
_CONTROL = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


class ByteLevelTokenizer:
    def __init__(self, max_length=80, lowercase=True):
        self.max_length, self.lowercase = max_length, lowercase

    def normalize(self, text):
        text = unicodedata.normalize("NFKC", text)
        text = _CONTROL.sub("", text)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\n\t")
        if self.lowercase:
            text = text.lower()
        return " ".join(text.split())

    def __call__(self, texts):
        batch = []
        for t in texts:
            ids = [b + OFFSET for b in self.normalize(t).encode("utf-8")][: self.max_length - 1] + [EOS]
            batch.append(ids + [PAD] * (self.max_length - len(ids)))
        ids = torch.tensor(batch)
        return ids, (ids != PAD).long()


class ByteTransformerClassifier(nn.Module):
    def __init__(self, num_labels=4, d=64):
        super().__init__()
        self.tokenizer = ByteLevelTokenizer()
        self.embed = nn.Embedding(256 + OFFSET, d, padding_idx=PAD)
        self.pos = nn.Embedding(80, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True), 2,
                                             enable_nested_tensor=False)
        self.classifier = nn.Linear(d, num_labels)

    def forward(self, texts):
        ids, mask = self.tokenizer(texts)
        h = self.embed(ids) + self.pos(torch.arange(ids.shape[1]))
        h = self.encoder(h, src_key_padding_mask=mask == 0)
        m = mask.unsqueeze(-1).float()
        return self.classifier((h * m).sum(1) / m.sum(1).clamp_min(1))


def corpus_case():
    torch.manual_seed(0)
    words = ("the", "order", "arrived", "late", "\u200bbut", "works", "ＦＩＮＥ", "refund", "\u202eplease")

    def inputs(n):
        idx = torch.randint(0, len(words), (n, 8)).tolist()
        return ([" ".join(words[i] for i in row) for row in idx],)

    return {"model": ByteTransformerClassifier().eval(), "inputs": inputs, "kind": "benign"}
