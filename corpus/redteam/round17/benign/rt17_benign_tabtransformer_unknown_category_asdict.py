# expect: none
"""TabTransformer credit model with the usual data hygiene: unseen categorical codes go to a
reserved <unk> slot per column (`where(ids < card, ids, card)`), missing numerics (NaN) are imputed
with stored training medians plus a missing-indicator channel; inputs come as a dataclass turned
into a dict with `dataclasses.asdict`."""
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn

CARDS = (12, 30, 25, 8)
MEDIANS = (52000.0, 0.21, 38.0)


@dataclass
class Applicants:
    categorical: torch.Tensor
    numerical: torch.Tensor


class TabTransformer(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.register_buffer("cards", torch.tensor(CARDS))
        self.register_buffer("offsets", torch.tensor((0,) + tuple(c + 1 for c in CARDS[:-1])).cumsum(0))
        self.register_buffer("medians", torch.tensor(MEDIANS))
        self.embed = nn.Embedding(sum(c + 1 for c in CARDS), dim)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, 2, 32, 0.0, batch_first=True), 1)
        self.norm = nn.LayerNorm(2 * len(MEDIANS))
        self.mlp = nn.Sequential(nn.Linear(dim * len(CARDS) + 2 * len(MEDIANS), 32), nn.ReLU(), nn.Linear(32, 3))

    def forward(self, categorical, numerical):
        f = asdict(Applicants(categorical, numerical))
        ids = torch.where((f["categorical"] >= 0) & (f["categorical"] < self.cards), f["categorical"], self.cards)
        missing = torch.isnan(f["numerical"])
        num = torch.where(missing, self.medians, f["numerical"])
        num = torch.cat([torch.log1p(num.clamp_min(0)), missing.float()], -1)
        ctx = self.encoder(self.embed(ids + self.offsets)).flatten(1)
        return self.mlp(torch.cat([ctx, self.norm(num)], -1))


def _inputs(n):
    cat = torch.stack([torch.randint(0, c + 3, (n,)) for c in CARDS], 1)
    num = torch.stack([torch.exp(10.5 + 0.5 * torch.randn(n)), torch.rand(n), 20 + 50 * torch.rand(n)], 1)
    num[torch.rand(n, 3) < 0.1] = float("nan")
    return cat, num


def corpus_case():
    torch.manual_seed(0)
    return {"model": TabTransformer().eval(), "inputs": _inputs, "kind": "benign"}
