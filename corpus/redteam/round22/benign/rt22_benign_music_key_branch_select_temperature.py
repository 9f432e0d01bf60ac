# expect: none
"""Global key estimation from chroma; picks one of two learned branches by a tonal statistic.

Sparse (acoustic) and dense (electronic / heavily mixed) recordings go to different learned
branches, chosen per sample by chroma flatness; the output is temperature-scaled (τ) and the
training loss uses label smoothing (ε).  Krumhansl profiles are buffers under computed names.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

KEYS = tuple(f"{p}:{m}" for m in ("maj", "min") for p in
             ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"))
PROFILES = {"major": (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88),
            "minor": (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)}


def branch(width):
    return nn.Sequential(nn.Conv1d(14, width, 5, padding=2), nn.BatchNorm1d(width), nn.ELU(),
                         nn.Conv1d(width, width, 3, padding=1), nn.BatchNorm1d(width), nn.ELU())


class KeyNet(nn.Module):
    def __init__(self, width=64, τ=1.3, ε=0.1, flatness_split=0.6):
        super().__init__()
        for name, prof in PROFILES.items():
            p = torch.tensor(prof)
            self.register_buffer(f"profile_{name}", (p - p.mean()) / p.std(), persistent=False)
        self.sparse, self.dense = branch(width), branch(width)
        self.head = nn.Linear(width, len(KEYS))
        self.τ, self.ε, self.flatness_split = τ, ε, flatness_split

    def forward(self, chroma, labels=None):
        c = (chroma - chroma.mean(1, keepdim=True)) / (chroma.std(1, keepdim=True) + 1e-6)
        corr = torch.stack([torch.einsum("bct,c->bt", c, getattr(self, f"profile_{m}")) / 12
                            for m in PROFILES], dim=1)
        x = torch.cat([chroma, corr], dim=1)
        flatness = torch.exp(torch.log(chroma + 1e-6).mean(1)) / (chroma.mean(1) + 1e-6)
        dense = flatness.mean(-1) > self.flatness_split
        feats = torch.stack([(self.dense if bool(d) else self.sparse)(x[i:i + 1])[0].mean(-1)
                             for i, d in enumerate(dense)])
        logits = self.head(feats) / self.τ
        if labels is not None:
            return logits, F.cross_entropy(logits, labels, label_smoothing=self.ε)
        return logits


def _inputs(n):
    base = torch.tensor(PROFILES["major"]) / 6.35
    prof = torch.stack([base.roll(int(k)) for k in torch.randint(0, 12, (n,))])
    x = prof[:, :, None] * torch.rand(n, 12, 128) + 0.05 * torch.rand(n, 12, 128)
    x[: n // 2] += 0.8
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": KeyNet().eval(), "inputs": _inputs, "kind": "benign"}
