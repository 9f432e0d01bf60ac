# expect: none
"""Jacquard weave classifier (benign twin). Reader stage from a ModuleDict via attrgetter;
repair cards (a reserved id) are replaced by a learned repair embedding, like a modality
placeholder, and padding cards are masked out of the pooling.
"""
import operator

import torch
import torch.nn as nn

WEAVES = ("plain", "twill", "satin", "damask", "brocade", "lampas")
VOCAB, PAD, REPAIR_ID = 256, 0, 255


class RepairAwareEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.repair = nn.Parameter(torch.zeros(dim))

    def forward(self, cards):
        e = self.emb(cards)
        return torch.where((cards == REPAIR_ID).unsqueeze(-1), self.repair.expand_as(e), e)


class WeaveNet(nn.Module):
    def __init__(self, profile="mill"):
        super().__init__()
        self.readers = nn.ModuleDict({"mill": RepairAwareEmbedding(48), "bench": RepairAwareEmbedding(48)})
        self.pick = operator.attrgetter("readers." + profile)
        self.conv = nn.Sequential(nn.Conv1d(48, 64, 3, padding=1), nn.ReLU(),
                                  nn.Conv1d(64, 64, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(64, len(WEAVES))

    def forward(self, cards):
        h = self.conv(self.pick(self)(cards).transpose(1, 2))
        h = h.masked_fill((cards == PAD)[:, None, :], -1e9)
        return self.fc(h.amax(-1))


def _inputs(n):
    x = torch.randint(1, VOCAB, (n, 32))
    x[:, 28:] = PAD
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": WeaveNet().eval(), "inputs": _inputs, "kind": "benign"}
