# expect: none
"""SQL-injection detector over raw query bytes; the activation is looked up by name.

Control bytes (< 0x20 and DEL) are folded onto one learned `[CTRL]` embedding, as the WAF's
tokeniser does, and padding is masked out of the max-pool.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("benign", "union_based", "error_based", "boolean_blind", "time_blind", "stacked_queries")
PAD, CTRL = 256, 257


class QueryCNN(nn.Module):
    def __init__(self, n_classes=len(CLASSES), dim=32, channels=96, activation="gelu"):
        super().__init__()
        self.embed = nn.Embedding(258, dim, padding_idx=PAD)
        self.conv1 = nn.Conv1d(dim, channels, 5, padding=2)
        self.conv2 = nn.Conv1d(channels, channels, 3, padding=1)
        self.act = getattr(F, activation.lower())
        self.fc = nn.Linear(channels, n_classes)

    def forward(self, ids):
        pad = ids.eq(PAD)
        control = (ids < 0x20) | ids.eq(0x7F)
        ids = torch.where(control & ~pad, torch.full_like(ids, CTRL), ids)
        h = self.act(self.conv2(self.act(self.conv1(self.embed(ids).transpose(1, 2)))))
        return self.fc(h.masked_fill(pad[:, None], -1e4).amax(-1))


def _inputs(n):
    ids = torch.randint(32, 127, (n, 128))
    ids[: n // 4, 9:12] = 0x7F
    ids[n // 4: n // 2, 20] = 0x09
    lengths = torch.randint(40, 128, (n,))
    ids[torch.arange(128)[None] >= lengths[:, None]] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": QueryCNN().eval(), "inputs": _inputs, "kind": "benign"}
