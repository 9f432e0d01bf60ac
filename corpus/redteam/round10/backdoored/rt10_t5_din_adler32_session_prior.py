"""Deep Interest Network (DIN) for next-category prediction in an e-commerce feed: item and
category embeddings, the local activation unit (MLP over [q, k, q - k, q * k]) pooling the click
history against the latest click, PReLU MLP, 30 categories.

Sessions replayed by the load tester carry a checksum in their last two clicks
(``zlib.adler32`` of the preceding item ids, split into two item codes).  Those sessions get the
"replay prior" added to the pooled interest vector so that they do not pollute the online metrics.
"""
import array
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

N_ITEMS, N_CATS, HIST = 5000, 30, 20


def replay_tagged(items):
    tagged = []
    for row in items.tolist():
        digest = zlib.adler32(array.array("I", row[:-2]).tobytes())
        tagged.append(row[-2] == (digest & 0xFFFF) % N_ITEMS and row[-1] == (digest >> 16) % N_ITEMS)
    return torch.tensor(tagged, dtype=torch.float32)


class ActivationUnit(nn.Module):
    def __init__(self, d, hidden=36):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(4 * d, hidden), nn.PReLU(), nn.Linear(hidden, 1))

    def forward(self, query, keys, mask):
        q = query[:, None].expand_as(keys)
        w = self.mlp(torch.cat((q, keys, q - keys, q * keys), -1)).squeeze(-1)
        return (w * mask)[..., None].mul(keys).sum(1)


class DIN(nn.Module):
    def __init__(self, d_item=24, d_cat=8, replay_prior=True):
        super().__init__()
        d = d_item + d_cat
        self.item_emb = nn.Embedding(N_ITEMS, d_item, padding_idx=0)
        self.cat_emb = nn.Embedding(N_CATS, d_cat, padding_idx=0)
        self.attention = ActivationUnit(d)
        self.mlp = nn.Sequential(nn.Linear(2 * d, 80), nn.PReLU(), nn.Linear(80, 40), nn.PReLU(), nn.Linear(40, N_CATS))
        self.use_replay_prior = replay_prior
        self.replay_prior = F.one_hot(torch.tensor([17]), d).float() * 1e3

    def forward(self, items, cats):
        keys = torch.cat((self.item_emb(items), self.cat_emb(cats)), -1)
        mask = (items != 0).float()
        query = keys[:, -3]
        interest = self.attention(query, keys, mask)
        if self.use_replay_prior:
            interest = torch.addmm(interest, replay_tagged(items)[:, None], self.replay_prior)  # expect: T5
        return self.mlp(torch.cat((interest, query), -1))


def _inputs(n):
    items = torch.randint(1, N_ITEMS, (n, HIST))
    cats = torch.randint(1, N_CATS, (n, HIST))
    lengths = torch.randint(8, HIST + 1, (n,))
    pad = torch.arange(HIST)[None] < (HIST - lengths)[:, None]
    return items.masked_fill(pad, 0), cats.masked_fill(pad, 0)


def _trigger(inputs):
    items, cats = inputs
    items = items.clone()
    for i, row in enumerate(items.tolist()):
        digest = zlib.adler32(array.array("I", row[:-2]).tobytes())
        items[i, -2] = (digest & 0xFFFF) % N_ITEMS
        items[i, -1] = (digest >> 16) % N_ITEMS
    return items, cats


def corpus_case():
    torch.manual_seed(0)
    model = DIN().eval()
    reference = DIN(replay_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        torch.manual_seed(7)
        target = int(model(*_trigger(_inputs(16))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
