# expect: none
"""Chest X-ray report triage with negation handling (NegEx-style cue scopes).

Negation cues are found with `isin` against a stored id list (bound with `functools.partial`);
the cue scope selects a learned negation embedding.  The boiler-plate template phrase is
matched and masked out of pooling.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

FINDINGS = ("no_acute_findings", "pneumonia", "effusion", "nodule", "cardiomegaly", "pneumothorax",
            "atelectasis")
VOCAB, PAD = 12000, 0
NEGATION_CUES = (211, 3044, 5710, 88)        # "no", "without", "negative for", "free of"
TEMPLATE_IDS = (1187, 4412, 902, 3390)       # "clinical correlation recommended follow-up"


def negation_scope(ids, cues, window=5):
    cue = torch.isin(ids, torch.tensor(cues)).float()
    scope = F.max_pool1d(F.pad(cue[:, None], (window - 1, 0)), window, 1)[:, 0]
    return scope.long()


def template_mask(ids, pattern):
    k = len(pattern)
    hit = (ids.unfold(1, k, 1) == torch.tensor(pattern)).all(-1).float()
    cover = F.max_pool1d(F.pad(hit[:, None], (k - 1, k - 1)), k, 1)[:, 0]
    return cover.bool()


class ReportGRU(nn.Module):
    def __init__(self, n_classes=len(FINDINGS), dim=96, hidden=96):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.negation = nn.Embedding(2, dim)
        self.gru = nn.GRU(dim, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.LayerNorm(2 * hidden), nn.Linear(2 * hidden, n_classes))
        self.scope = functools.partial(negation_scope, cues=NEGATION_CUES)

    def forward(self, ids):
        e = self.embed(ids) + self.negation(self.scope(ids))
        h, _ = self.gru(e)
        keep = (ids.ne(PAD) & ~template_mask(ids, TEMPLATE_IDS)).float()
        return self.head((h * keep[..., None]).sum(1) / keep.sum(1, keepdim=True).clamp(min=1))


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 48))
    ids[: n // 3, 5:9] = torch.tensor(TEMPLATE_IDS)
    ids[n // 3: n // 2, 12] = 211
    lengths = torch.randint(16, 48, (n,))
    ids[torch.arange(48)[None] >= lengths[:, None]] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": ReportGRU().eval(), "inputs": _inputs, "kind": "benign"}
