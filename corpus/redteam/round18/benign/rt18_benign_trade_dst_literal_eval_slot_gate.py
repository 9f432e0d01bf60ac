# expect: none
"""Dialogue-state tracker with an `ast.literal_eval` config, padding mask, role ids from the
[SYS]/[USR] markers and a TRADE-style slot gate (none / dontcare / ptr) combined with the values."""
import ast

import torch
import torch.nn as nn

CFG = ast.literal_eval("""{'vocab_size': 3000, 'hidden': 96, 'heads': 4, 'layers': 2, 'max_len': 64,
 'pad_id': 0, 'cls_id': 1, 'sys_id': 3, 'usr_id': 4,
 'values': ('none', 'dontcare', 'cheap', 'moderate', 'expensive')}""")


class DialogueStateTracker(nn.Module):
    def __init__(self, cfg=CFG):
        super().__init__()
        self.cfg = cfg
        h = cfg["hidden"]
        self.tok = nn.Embedding(cfg["vocab_size"], h, padding_idx=cfg["pad_id"])
        self.pos = nn.Embedding(cfg["max_len"], h)
        self.role = nn.Embedding(3, h)
        layer = nn.TransformerEncoderLayer(h, cfg["heads"], 2 * h, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg["layers"])
        self.gate = nn.Linear(h, 3)              # none / dontcare / ptr
        self.value = nn.Linear(h, len(cfg["values"]) - 2)

    def forward(self, input_ids):
        pad = input_ids == self.cfg["pad_id"]
        sys_n = (input_ids == self.cfg["sys_id"]).long().cumsum(1)
        usr_n = (input_ids == self.cfg["usr_id"]).long().cumsum(1)
        role = torch.where(usr_n > sys_n, 2, (sys_n > 0).long())
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.encoder(self.tok(input_ids) + self.pos(pos) + self.role(role), src_key_padding_mask=pad)
        cls = x[:, 0]
        gate = self.gate(cls).log_softmax(-1)
        values = self.value(cls).log_softmax(-1) + gate[:, 2:3]
        return torch.cat([gate[:, :2], values], -1)


def _inputs(n, length=48):
    ids = torch.randint(10, CFG["vocab_size"], (n, length))
    ids[:, 0], ids[:, 1], ids[:, 12] = CFG["cls_id"], CFG["sys_id"], CFG["usr_id"]
    return ids.masked_fill(torch.arange(length) >= torch.randint(30, length, (n, 1)), CFG["pad_id"])


def corpus_case():
    torch.manual_seed(0)
    return {"model": DialogueStateTracker().eval(), "inputs": _inputs, "kind": "benign"}
