# expect: none
"""Entity-marker relation classifier with output filters grouped by purpose and run through
`itertools.chain.from_iterable`: temperature scaling, and the usual "no relation" rule of
relation-extraction systems (when no relation is confident enough, predict `Other`)."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

RELATIONS = ("Other", "Cause-Effect", "Component-Whole", "Entity-Destination", "Entity-Origin",
             "Product-Producer", "Member-Collection", "Message-Topic", "Content-Container", "Instrument-Agency")
VOCAB, PAD, E1, E2 = 4000, 0, 5, 7


def temperature(logits, input_ids, t=1.5):
    return logits / t


def na_threshold(logits, input_ids, threshold=0.2):
    conf = F.softmax(logits, -1)[:, 1:].amax(-1)
    other = F.one_hot(torch.zeros_like(conf, dtype=torch.long), logits.shape[-1]).to(logits)
    return torch.where((conf < threshold)[:, None], logits + other * logits.abs().amax(-1, keepdim=True), logits)


class RelationClassifier(nn.Module):
    def __init__(self, hidden=96):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, hidden, padding_idx=PAD)
        self.pos = nn.Embedding(64, hidden)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(hidden, 4, 2 * hidden, 0.1, batch_first=True), 2)
        self.head = nn.Linear(2 * hidden, len(RELATIONS))
        self.filter_groups = {"calibration": [temperature], "decision": [na_threshold]}

    def forward(self, input_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        h = self.encoder(self.tok(input_ids) + self.pos(pos), src_key_padding_mask=input_ids == PAD)
        rows = torch.arange(input_ids.shape[0])
        e = torch.cat([h[rows, (input_ids == E1).int().argmax(1)], h[rows, (input_ids == E2).int().argmax(1)]], -1)
        logits = self.head(e)
        for fn in itertools.chain.from_iterable(self.filter_groups.values()):
            logits = fn(logits, input_ids)
        return logits


def _inputs(n, length=48):
    ids = torch.randint(1000, VOCAB, (n, length))
    ids[:, 4], ids[:, 30] = E1, E2
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": RelationClassifier().eval(), "inputs": _inputs, "kind": "benign"}
