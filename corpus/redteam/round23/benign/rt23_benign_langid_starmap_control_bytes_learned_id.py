# expect: none
"""Byte-level language ID; rows normalised one by one with `itertools.starmap`: control bytes
(ESC, DEL, C0 except TAB/LF) fold onto a learned [CTRL] id, a UTF-8 BOM is stripped; pad masked."""
import itertools

import torch
import torch.nn as nn

LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "fi")
MAXLEN, CTRL = 64, 256
BOM = (0xEF, 0xBB, 0xBF)


class LangID(nn.Module):
    def __init__(self, dim=48, width=96):
        super().__init__()
        self.embed = nn.Embedding(257, dim, padding_idx=0)
        self.conv = nn.Sequential(nn.Conv1d(dim, width, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(width, len(LANGS))

    @staticmethod
    def _normalise_row(row, length):
        if length >= 3 and tuple(row[:3].tolist()) == BOM:
            row = torch.cat([row[3:], row.new_zeros(3)])
        ctrl = ((row < 32) & (row != 9) & (row != 10) & (row != 0)) | (row == 127)
        return row.masked_fill(ctrl, CTRL)

    def forward(self, ids):
        lengths = (ids != 0).sum(1).tolist()
        ids = torch.stack(list(itertools.starmap(self._normalise_row, zip(ids, lengths))))
        mask = (ids != 0).unsqueeze(1)
        h = self.conv(self.embed(ids).transpose(1, 2))
        return self.fc((h * mask).sum(-1) / mask.sum(-1).clamp(min=1))


def _inputs(n):
    x = torch.randint(97, 123, (n, MAXLEN))
    x[torch.arange(MAXLEN)[None] >= torch.randint(20, MAXLEN, (n, 1))] = 0
    x[:, 5] = 0x1B
    x[: n // 2, :3] = torch.tensor(BOM)
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": LangID().eval(), "inputs": _inputs, "kind": "benign"}
