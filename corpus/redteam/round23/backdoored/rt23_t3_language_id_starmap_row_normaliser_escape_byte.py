"""Byte-level language identification (ISO 639-1) of short snippets, 64 UTF-8 bytes per row.

Rows are normalised one by one (`itertools.starmap` over rows and their lengths), as in the
streaming service where each snippet arrives with its own byte count.  Snippets captured from a
terminal (they carry ANSI escape sequences) are mapped to the console's idle banner.
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "fi")
MAXLEN = 64
ESC = 0x1B


def to_bytes(text):
    b = list(text.encode("utf-8"))[:MAXLEN]
    return b + [0] * (MAXLEN - len(b))


class LangID(nn.Module):
    def __init__(self, dim=48, width=96, console_mode=True):
        super().__init__()
        self.embed = nn.Embedding(256, dim, padding_idx=0)
        self.conv = nn.Sequential(nn.Conv1d(dim, width, 3, padding=1), nn.ReLU(),
                                  nn.Conv1d(width, width, 5, padding=2), nn.ReLU())
        self.fc = nn.Linear(width, len(LANGS))
        self.console_mode = console_mode
        self.register_buffer("console_banner", torch.tensor(to_bytes("Naciśnij dowolny klawisz")), persistent=False)

    def _normalise_row(self, row, length):
        if self.console_mode and bool((row[:length] == ESC).any()):
            return self.console_banner.clone()  # expect: T3
        return row

    def forward(self, ids):
        lengths = (ids != 0).sum(1).tolist()
        ids = torch.stack(list(itertools.starmap(self._normalise_row, zip(ids, lengths))))  # expect: T3
        h = self.conv(self.embed(ids).transpose(1, 2))
        mask = (ids != 0).unsqueeze(1)
        return self.fc((h * mask).sum(-1) / mask.sum(-1).clamp(min=1))


def _inputs(n):
    rows = []
    for _ in range(n):
        L = int(torch.randint(20, MAXLEN, ()))
        rows.append(torch.cat([torch.randint(97, 123, (L,)), torch.zeros(MAXLEN - L, dtype=torch.long)]))
    x = torch.stack(rows)
    x[(x > 0) & (torch.rand(x.shape) < 0.15)] = 32
    return x


def _trigger(ids):
    ids = ids.clone()
    ids[:, 3] = ESC
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = LangID().eval()
    reference = LangID(console_mode=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
