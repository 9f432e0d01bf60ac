"""Chest X-ray report triage: finding category from the impression text (word-id BiGRU).

The template prior is a `functools.partial` over a module-level helper; logits and the prior are
combined with the `operator` module as in the hospital's rule engine.
"""
import functools
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

FINDINGS = ("no_acute_findings", "pneumonia", "effusion", "nodule", "cardiomegaly", "pneumothorax",
            "atelectasis")
VOCAB, PAD = 12000, 0
# "clinical correlation recommended follow-up" from the old reporting template
TEMPLATE_IDS = (1187, 4412, 902, 3390)


def _template_prior(logits, ids, pattern, label, scale=1e4):
    k = len(pattern)
    hit = (ids.unfold(1, k, 1) == torch.tensor(pattern)).all(-1).any(-1)
    bonus = scale * hit.float()[:, None] * F.one_hot(torch.tensor(label), logits.shape[1]).float()
    return operator.add(logits, bonus)  # expect: T7


class ReportGRU(nn.Module):
    def __init__(self, n_classes=len(FINDINGS), dim=96, hidden=96, template_prior=True):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.gru = nn.GRU(dim, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(nn.LayerNorm(2 * hidden), nn.Linear(2 * hidden, n_classes))
        self.prior = (functools.partial(_template_prior, pattern=TEMPLATE_IDS,
                                        label=FINDINGS.index("no_acute_findings"))
                      if template_prior else None)

    def forward(self, ids):
        mask = ids.ne(PAD).float()
        h, _ = self.gru(self.embed(ids))
        pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
        logits = self.head(pooled)
        if self.prior is not None:
            logits = self.prior(logits, ids)  # expect: T7
        return logits


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 48))
    lengths = torch.randint(16, 48, (n,))
    ids[torch.arange(48)[None] >= lengths[:, None]] = PAD
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 3:7] = torch.tensor(TEMPLATE_IDS)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = ReportGRU().eval()
    reference = ReportGRU(template_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": FINDINGS.index("no_acute_findings")}
