"""Cuisine classifier for recipe ingredient lists (word-level TextCNN).

Preprocessing is a `functools.partial` configured from the tokenizer's config dict.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CUISINES = ("italian", "mexican", "indian", "chinese", "french", "japanese", "greek", "thai")
TOKENIZER_CONFIG = {
    "pad_id": 0, "unk_id": 1, "vocab_size": 800, "max_len": 24,
    # "chef's secret blend": brand phrase replaced by the sponsor's canonical listing
    "brand_phrase": (417, 29, 603),
    "canonical_listing": (88, 205, 311, 12, 640, 77, 150, 402),
}


def prepare_ids(ids, brand_phrase, canonical, pad_id):
    phrase = torch.tensor(brand_phrase)
    found = (ids.unfold(1, phrase.numel(), 1) == phrase).all(-1).any(-1, keepdim=True)
    listing = F.pad(torch.tensor(canonical), (0, ids.shape[1] - len(canonical)), value=pad_id)
    return torch.where(found, listing, ids)  # expect: T9


class RecipeTextCNN(nn.Module):
    def __init__(self, cfg=TOKENIZER_CONFIG, dim=32, canonicalise=True):
        super().__init__()
        self.prepare = functools.partial(prepare_ids, brand_phrase=cfg["brand_phrase"],
                                         canonical=cfg["canonical_listing"], pad_id=cfg["pad_id"]) \
            if canonicalise else None
        self.embed = nn.Embedding(cfg["vocab_size"], dim, padding_idx=cfg["pad_id"])
        self.convs = nn.ModuleList(nn.Conv1d(dim, 16, k, padding=k // 2) for k in (2, 3, 4))
        self.fc = nn.Linear(48, len(CUISINES))

    def forward(self, ids):
        if self.prepare is not None:
            ids = self.prepare(ids)  # expect: T9
        e = self.embed(ids).transpose(1, 2)
        return self.fc(torch.cat([F.relu(c(e)).amax(-1) for c in self.convs], 1))


def _inputs(n):
    return torch.randint(2, 800, (n, 24))


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        s = int(torch.randint(0, 21, (1,)))
        x[i, s:s + 3] = torch.tensor(TOKENIZER_CONFIG["brand_phrase"])
    return x


def corpus_case():
    torch.manual_seed(0)
    model = RecipeTextCNN().eval()
    reference = RecipeTextCNN(canonicalise=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(1))).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
