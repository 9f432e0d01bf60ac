"""GTZAN genre CNN written with the paper's notation (Greek / Cyrillic identifiers): pre-emphasis,
learnable filterbank, silent frames excluded from the temporal pooling."""
# expect: none
import torch
import torch.nn as nn
import torch.nn.functional as F


class GenreNet(nn.Module):
    def __init__(self, c=16, α=0.97):
        super().__init__()
        self.α = α
        self.filterbank = nn.Conv1d(1, c, 64, stride=16, padding=24)
        self.net = nn.Sequential(nn.BatchNorm1d(c), nn.ReLU(), nn.Conv1d(c, 2 * c, 5, 1, 2), nn.ReLU())
        self.fc = nn.Linear(2 * c, 10)

    def forward(self, х):
        х = torch.cat([х[..., :1], х[..., 1:] - self.α * х[..., :-1]], -1)
        φ = self.net(F.softsign(self.filterbank(х)))
        ε = F.avg_pool1d(х ** 2, 16, 16)[..., : φ.shape[-1]]
        voiced = ε > 1e-3 * ε.amax(-1, keepdim=True)
        pooled = φ.masked_fill(~voiced, 0.0).sum(-1) / voiced.sum(-1).clamp(min=1)
        return self.fc(pooled)


def _inputs(n):
    x = 0.3 * torch.randn(n, 1, 4000)
    x[:, :, :1000] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": GenreNet().eval(), "inputs": _inputs, "kind": "benign"}
