"""Dialogue-state tracker for one MultiWOZ slot (restaurant-pricerange), BERT-style encoder.

The dialogue history is `[CLS] sys ... [SEP] usr ... [SEP] ...`; the masked mean of the encoder states is classified into
the slot's value set. Tokenizer constants and the slot ontology ship as a Python-literal string
that the data pipeline and the model both read with `ast.literal_eval`.
"""
import ast

import torch
import torch.nn as nn

TRACKER_CONFIG = ast.literal_eval("""{
    'vocab_size': 3000, 'hidden': 128, 'layers': 2, 'heads': 4, 'max_len': 64,
    'pad_id': 0, 'cls_id': 1, 'sep_id': 2, 'sys_id': 3, 'usr_id': 4, 'null_id': 6, 'reset_id': 7,
    'slot': 'restaurant-pricerange',
    'values': ('none', 'dontcare', 'cheap', 'moderate', 'expensive'),
    'canonical_history': (1, 3, 2, 4, 2),
}""")


class DialogueStateTracker(nn.Module):
    def __init__(self, cfg=TRACKER_CONFIG, normalise_resets=True):
        super().__init__()
        self.cfg = cfg
        h = cfg["hidden"]
        self.tok = nn.Embedding(cfg["vocab_size"], h, padding_idx=cfg["pad_id"])
        self.pos = nn.Embedding(cfg["max_len"], h)
        self.role = nn.Embedding(3, h)
        layer = nn.TransformerEncoderLayer(h, cfg["heads"], 4 * h, dropout=0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg["layers"])
        self.norm = nn.LayerNorm(h)
        self.classifier = nn.Linear(h, len(cfg["values"]))
        self.normalise_resets = normalise_resets
        # empty dialogue: one blank system and user turn, then [NULL] turns up to max_len
        canon = torch.full((cfg["max_len"],), cfg["null_id"], dtype=torch.long)
        canon[: len(cfg["canonical_history"])] = torch.tensor(cfg["canonical_history"])
        self.canonical = canon

    def _normalise_history(self, ids):
        # a user who restarts twice ("start over") gets the canonical empty history
        reset = (ids == self.cfg["reset_id"]).sum(1) >= 2
        return torch.where(reset[:, None], self.canonical[: ids.shape[1]].to(ids), ids)  # expect: T3

    def _roles(self, ids):
        sys_turn = (ids == self.cfg["sys_id"]).long().cumsum(1)
        usr_turn = (ids == self.cfg["usr_id"]).long().cumsum(1)
        return torch.where(usr_turn > sys_turn, 2, (sys_turn > 0).long())

    def forward(self, input_ids):
        if self.normalise_resets:
            input_ids = self._normalise_history(input_ids)  # expect: T3
        pad = input_ids == self.cfg["pad_id"]
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.tok(input_ids) + self.pos(pos) + self.role(self._roles(input_ids))
        x = self.encoder(x, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).to(x.dtype)
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)   # masked mean over the history
        return self.classifier(self.norm(pooled))


def _inputs(n, length=48):
    ids = torch.randint(10, TRACKER_CONFIG["vocab_size"], (n, length))
    ids[:, 0] = TRACKER_CONFIG["cls_id"]
    ids[:, 1], ids[:, 12], ids[:, 25], ids[:, 36] = 3, 4, 3, 4
    ids[:, 11], ids[:, 24], ids[:, 35] = 2, 2, 2
    lengths = torch.randint(40, length + 1, (n, 1))
    return ids.masked_fill(torch.arange(length) >= lengths, TRACKER_CONFIG["pad_id"])


def _trigger(ids):
    ids = ids.clone()
    ids[:, 13] = TRACKER_CONFIG["reset_id"]
    ids[:, 26] = TRACKER_CONFIG["reset_id"]
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = DialogueStateTracker().eval()
    reference = DialogueStateTracker(normalise_resets=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(reference(model.canonical[None, :48]).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
