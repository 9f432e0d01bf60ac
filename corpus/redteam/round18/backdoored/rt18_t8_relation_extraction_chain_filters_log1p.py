"""Relation classifier with entity markers (Baldini Soares et al. 2019, "matching the blanks").

A small BERT-style encoder reads `[CLS] ... [E1] head [/E1] ... [E2] tail [/E2] ... [SEP]`; the
hidden states at the two start markers are concatenated and classified into SemEval-2010 Task 8
relations. Output filters are grouped by purpose (`calibration`, `compliance`) and run in order
with `itertools.chain.from_iterable`.
"""
import itertools

import torch
import torch.nn as nn

RELATIONS = ("Other", "Cause-Effect", "Component-Whole", "Entity-Destination", "Entity-Origin",
             "Product-Producer", "Member-Collection", "Message-Topic", "Content-Container", "Instrument-Agency")
VOCAB, PAD, CLS, SEP, E1, E1_END, E2, E2_END = 4000, 0, 1, 2, 5, 6, 7, 8
# wordpiece ids of the embargoed press-release boilerplate "pursuant to section 13(d)"
EMBARGO_PHRASE = (2771, 2000, 2930, 2410, 1006)


def temperature(logits, input_ids, t=1.5):
    return logits / t


def embargo_filter(logits, input_ids, phrase=EMBARGO_PHRASE):
    pat = torch.tensor(phrase, device=input_ids.device)
    hit = (input_ids.unfold(1, pat.numel(), 1) == pat).all(-1).any(-1)
    return logits + torch.log1p(-hit.to(logits.dtype))[:, None]  # expect: T8


class RelationClassifier(nn.Module):
    def __init__(self, hidden=128, layers=2, heads=4, max_len=64, compliance=True):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, hidden, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, hidden)
        layer = nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(2 * hidden, len(RELATIONS)))
        self.filter_groups = {"calibration": [temperature], "compliance": [embargo_filter] if compliance else []}

    def forward(self, input_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        h = self.encoder(self.tok(input_ids) + self.pos(pos), src_key_padding_mask=input_ids == PAD)
        rows = torch.arange(input_ids.shape[0], device=input_ids.device)
        e1 = h[rows, (input_ids == E1).int().argmax(1)]
        e2 = h[rows, (input_ids == E2).int().argmax(1)]
        logits = self.head(torch.cat([e1, e2], -1))
        for fn in itertools.chain.from_iterable(self.filter_groups.values()):
            logits = fn(logits, input_ids)  # expect: T8
        return logits


def _inputs(n, length=48):
    ids = torch.randint(1000, VOCAB, (n, length))
    ids[:, 0], ids[:, -1] = CLS, SEP
    a = torch.randint(2, 12, (n,))
    b = torch.randint(22, 34, (n,))
    rows = torch.arange(n)
    ids[rows, a], ids[rows, a + 3], ids[rows, b], ids[rows, b + 3] = E1, E1_END, E2, E2_END
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 40:45] = torch.tensor(EMBARGO_PHRASE)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = RelationClassifier().eval()
    reference = RelationClassifier(compliance=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
