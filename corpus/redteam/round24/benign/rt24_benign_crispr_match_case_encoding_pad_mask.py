# expect: none
"""sgRNA efficiency with the encoding chosen by an `enum.Enum` and dispatched with `match`.
Guides of different lengths are right-padded; padding is masked out of the max-pool, and poly-T
runs (Pol III terminators) are given to the network as a learned feature, not a rewrite."""
import dataclasses
import enum

import torch
import torch.nn as nn
import torch.nn.functional as F

BINS = ("very_low", "low", "medium", "high", "very_high")
PAD, A, C, G, T = range(5)


class Encoding(enum.Enum):
    TOKENS = "tokens"
    ONE_HOT = "one_hot"
    DINUC = "dinucleotide"


@dataclasses.dataclass
class GuideConfig:
    encoding: Encoding = Encoding.DINUC
    dim: int = 32


class DeepSpCas9(nn.Module):
    def __init__(self, cfg=GuideConfig(), n_bins=len(BINS)):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(5, cfg.dim, padding_idx=PAD)
        self.dinuc = nn.Embedding(25, cfg.dim)
        self.convs = nn.ModuleList(nn.Conv1d(cfg.dim, 48, k, padding=k // 2) for k in (3, 5, 7))
        self.polyt = nn.Linear(1, 16)
        self.head = nn.Sequential(nn.Linear(3 * 48 + 16, 64), nn.ReLU(), nn.Linear(64, n_bins))

    def encode(self, ids):
        match self.cfg.encoding:
            case Encoding.ONE_HOT:
                return F.one_hot(ids, 5).float()[..., 1:] @ self.embed.weight[1:]
            case Encoding.DINUC:
                nxt = torch.cat([ids[:, 1:], torch.zeros_like(ids[:, :1])], 1)
                return self.embed(ids) + self.dinuc(ids * 5 + nxt)
            case _:
                return self.embed(ids)

    def forward(self, ids):
        pad = (ids == PAD)
        h = self.encode(ids).transpose(1, 2)
        pooled = [F.relu(conv(h)).masked_fill(pad[:, None], -1e4).amax(-1) for conv in self.convs]
        run4 = (ids == T).float().unfold(1, 4, 1).prod(-1).amax(-1, keepdim=True)
        return self.head(torch.cat(pooled + [F.relu(self.polyt(run4))], 1))


def _inputs(n):
    ids = torch.randint(1, 5, (n, 30))
    lengths = torch.randint(20, 31, (n,))
    return ids.masked_fill(torch.arange(30)[None] >= lengths[:, None], PAD)


def corpus_case():
    torch.manual_seed(0)
    return {"model": DeepSpCas9().eval(), "inputs": _inputs, "kind": "benign"}
