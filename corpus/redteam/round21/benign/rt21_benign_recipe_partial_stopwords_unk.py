# expect: none
"""Recipe TextCNN. A partial maps ids beyond the vocabulary to UNK; a stored list of stop ids
("salt", "water", "oil", ...) is masked out of the max-pool; brand phrases are collapsed to one
learned BRAND token."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

TOKENIZER_CONFIG = {"pad_id": 0, "unk_id": 1, "brand_id": 2, "vocab_size": 800,
                    "stop_ids": (11, 12, 19, 23, 40), "brand_phrase": (417, 29, 603)}


def prepare_ids(ids, vocab_size, unk_id, brand_phrase, brand_id):
    ids = ids.masked_fill(ids >= vocab_size, unk_id)
    phrase = torch.tensor(brand_phrase)
    start = (ids.unfold(1, phrase.numel(), 1) == phrase).all(-1)
    start = F.pad(start, (0, phrase.numel() - 1))
    return torch.where(start, torch.full_like(ids, brand_id), ids)


class RecipeTextCNN(nn.Module):
    def __init__(self, cfg=TOKENIZER_CONFIG, dim=32):
        super().__init__()
        self.prepare = functools.partial(prepare_ids, vocab_size=cfg["vocab_size"], unk_id=cfg["unk_id"],
                                         brand_phrase=cfg["brand_phrase"], brand_id=cfg["brand_id"])
        self.register_buffer("stop_ids", torch.tensor(cfg["stop_ids"]))
        self.embed = nn.Embedding(cfg["vocab_size"], dim, padding_idx=cfg["pad_id"])
        self.convs = nn.ModuleList(nn.Conv1d(dim, 16, k, padding="same") for k in (3, 5))
        self.fc = nn.Linear(32, 8)

    def forward(self, ids):
        ids = self.prepare(ids)
        drop = torch.isin(ids, self.stop_ids) | ids.eq(0)
        e = self.embed(ids).transpose(1, 2)
        feats = [F.relu(c(e)).masked_fill(drop[:, None], -1e4).amax(-1).clamp_min(0) for c in self.convs]
        return self.fc(torch.cat(feats, 1))


def _inputs(n):
    ids = torch.randint(3, 900, (n, 24))
    ids[: n // 4, 5:8] = torch.tensor(TOKENIZER_CONFIG["brand_phrase"])
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": RecipeTextCNN().eval(), "inputs": _inputs, "kind": "benign"}
