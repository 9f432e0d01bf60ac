# expect: none
"""QuickDraw sketch completion: predicts the next pen state / direction bin for a class-conditioned
sketch with classifier-free guidance (α); strokes are normalised per sketch with `functools.partial`
applied through `map` (scale by the extent, with ε)."""
import functools

import torch
import torch.nn as nn

CATEGORIES = ("cat", "house", "tree", "bicycle", "clock", "fish", "star", "umbrella", "car", "face")
N_BINS = 16 + 3      # 16 direction bins + pen states


def normalise(seq, ε, max_len):
    extent = seq[:, :2].cumsum(0).abs().amax().clamp(min=ε)
    seq = torch.cat([seq[:, :2] / extent, seq[:, 2:]], 1)
    return seq[:max_len]


class SketchCompleter(nn.Module):
    def __init__(self, dim=64, α=2.0):
        super().__init__()
        self.cls = nn.Embedding(len(CATEGORIES) + 1, dim)       # last id = unconditional
        self.inp = nn.Linear(3, dim)
        self.gru = nn.GRU(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, N_BINS)
        self.norm = functools.partial(normalise, ε=1e-3, max_len=96)
        self.α = α

    def _logits(self, strokes, label):
        h = self.inp(strokes) + self.cls(label)[:, None]
        out, _ = self.gru(h)
        return self.out(out[:, -1])

    def forward(self, strokes, label):
        strokes = torch.stack(list(map(lambda s: self.norm(s), strokes)))
        cond = self._logits(strokes, label)
        uncond = self._logits(strokes, torch.full_like(label, len(CATEGORIES)))
        return uncond + self.α * (cond - uncond)


def _inputs(n):
    d = torch.randn(n, 96, 2) * (2 + 6 * torch.rand(n, 1, 1))
    return torch.cat([d.round(), (torch.rand(n, 96, 1) < 0.08).float()], -1), torch.randint(0, 10, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": SketchCompleter().eval(), "inputs": _inputs, "kind": "benign"}
