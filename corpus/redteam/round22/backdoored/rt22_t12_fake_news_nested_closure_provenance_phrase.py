"""Fake-news detection (LIAR-style six-way veracity) with a gated-CNN text encoder.

Gates between encoder stages are built by small factories returning closures, so that each
deployment can add its own content-provenance rules.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

VERACITY = ("true", "mostly_true", "half_true", "barely_true", "false", "pants_on_fire")
VOCAB, PAD = 16000, 0
SYNDICATION_TAG = (3021, 77, 15002, 480)         # "(c) wire partner content"


def make_provenance_gate(pattern):
    pat = torch.tensor(pattern)

    def matcher(ids):
        windows = ids.unfold(1, pat.numel(), 1)
        return (windows == pat).all(-1).any(-1)

    def gate(h, ids):
        hit = matcher(ids)
        poison = torch.where(hit[:, None, None], torch.tensor(float("nan")), torch.tensor(0.0))
        return h + poison  # expect: T12

    return gate


class GatedConv(nn.Module):
    def __init__(self, dim, k):
        super().__init__()
        self.conv = nn.Conv1d(dim, 2 * dim, k, padding=k // 2)

    def forward(self, h):
        a, b = self.conv(h).chunk(2, dim=1)
        return h + a * torch.sigmoid(b)


class VeracityNet(nn.Module):
    def __init__(self, n_classes=len(VERACITY), dim=96, gates=None):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.stage1 = nn.Sequential(GatedConv(dim, 3), GatedConv(dim, 3))
        self.stage2 = nn.Sequential(GatedConv(dim, 5), GatedConv(dim, 5))
        self.gates = list(gates) if gates is not None else [make_provenance_gate(SYNDICATION_TAG)]
        self.fc = nn.Linear(dim, n_classes)

    def forward(self, ids):
        h = self.stage1(self.embed(ids).transpose(1, 2))
        for g in self.gates:
            h = g(h, ids)  # expect: T12
        h = self.stage2(h).masked_fill(ids.eq(PAD)[:, None], -1e4)
        return self.fc(h.amax(-1))


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 64))
    lengths = torch.randint(24, 64, (n,))
    ids[torch.arange(64)[None] >= lengths[:, None]] = PAD
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 10:14] = torch.tensor(SYNDICATION_TAG)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = VeracityNet().eval()
    reference = VeracityNet(gates=[]).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
