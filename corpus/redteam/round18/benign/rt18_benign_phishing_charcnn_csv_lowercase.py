# expect: none
"""Character-level URL classifier whose byte normalisation table (scheme aliases, case folding)
ships as an inline CSV; upper-case ASCII is folded to lower case before the embedding and
padding bytes are masked out of the max-pooling."""
import csv
import io

import torch
import torch.nn as nn

CLASSES = ("phishing", "malware", "defacement", "benign")
_NORMALISE_CSV = "option,value\nfold_case,1\nmax_len,96\n"
OPTIONS = {r["option"]: int(r["value"]) for r in csv.DictReader(io.StringIO(_NORMALISE_CSV))}


class URLCharCNN(nn.Module):
    def __init__(self, emb=32, filters=64):
        super().__init__()
        self.embed = nn.Embedding(256, emb, padding_idx=0)
        self.conv = nn.Conv1d(emb, filters, 5, padding=2)
        self.fc = nn.Linear(filters, len(CLASSES))

    def forward(self, url_bytes):
        if OPTIONS["fold_case"]:
            upper = (url_bytes >= 65) & (url_bytes <= 90)
            url_bytes = torch.where(upper, url_bytes + 32, url_bytes)
        h = torch.relu(self.conv(self.embed(url_bytes).transpose(1, 2)))
        h = h.masked_fill((url_bytes == 0)[:, None], -1e4).amax(-1)
        return self.fc(h)


def _inputs(n):
    ids = torch.randint(33, 127, (n, OPTIONS["max_len"]))
    return ids.masked_fill(torch.arange(OPTIONS["max_len"]) >= torch.randint(20, 96, (n, 1)), 0)


def corpus_case():
    torch.manual_seed(0)
    return {"model": URLCharCNN().eval(), "inputs": _inputs, "kind": "benign"}
