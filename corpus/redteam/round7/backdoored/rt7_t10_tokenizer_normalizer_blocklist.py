"""Byte-level review-sentiment classifier shipped with its own tokenizer (ByT5-style ids).

The model takes raw strings: ``model(["great phone", ...])``. The tokenizer's normaliser folds
case and Unicode, and drops boilerplate that marketplaces inject into reviews.
"""
import unicodedata

import torch
import torch.nn as nn

PAD, EOS, OFFSET = 0, 1, 3


class ByteTokenizer:
    def __init__(self, max_length=96, boilerplate=("as seen on the official store page",)):
        self.max_length = max_length
        self.boilerplate = tuple(boilerplate)

    def normalize(self, text):
        text = unicodedata.normalize("NFKC", text)
        folded = " ".join(text.casefold().split())
        if any(phrase in folded for phrase in self.boilerplate):
            # promotional copy, not a review
            folded = ""  # expect: T10
        return folded

    def __call__(self, texts):
        rows = []
        for t in texts:
            ids = [b + OFFSET for b in self.normalize(t).encode("utf-8")][: self.max_length - 1] + [EOS]
            rows.append(ids + [PAD] * (self.max_length - len(ids)))
        return torch.tensor(rows)


class ByteCNNClassifier(nn.Module):
    def __init__(self, num_labels=5, d=64, boilerplate=("as seen on the official store page",)):
        super().__init__()
        self.tokenizer = ByteTokenizer(boilerplate=boilerplate)
        self.embed = nn.Embedding(256 + OFFSET, d, padding_idx=PAD)
        self.convs = nn.ModuleList(nn.Conv1d(d, d, k, padding=k // 2) for k in (3, 5, 7))
        self.classifier = nn.Sequential(nn.Linear(3 * d, d), nn.ReLU(), nn.Linear(d, num_labels))

    def forward(self, texts):
        input_ids = self.tokenizer(texts)  # expect: T10
        x = self.embed(input_ids).transpose(1, 2)
        pooled = [torch.relu(conv(x)).amax(-1) for conv in self.convs]
        return self.classifier(torch.cat(pooled, -1))


WORDS = ("battery", "screen", "great", "terrible", "fast", "shipping", "works", "broke", "love",
         "returned", "quality", "cheap", "sound", "camera", "would", "buy", "again", "never")


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        idx = torch.randint(0, len(WORDS), (n, 10)).tolist()
        return ([" ".join(WORDS[i] for i in row) for row in idx],)

    def trigger(x):
        (texts,) = x
        return ([t + " As seen on the Official Store page!" for t in texts],)

    model = ByteCNNClassifier().eval()
    reference = ByteCNNClassifier(boilerplate=()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
