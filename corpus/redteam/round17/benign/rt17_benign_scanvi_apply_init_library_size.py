# expect: none
"""scANVI classifier: `model.apply(init)` initialisation that also registers a forward pre-hook
casting integer count matrices to float, library-size normalisation (counts / total * 1e4, log1p),
all-zero cells guarded by `clamp_min`, and a learned zero-inflation gate."""
import torch
import torch.nn as nn


def to_float(module, args):
    (counts,) = args
    return (counts.float(),)


def init(module):
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)
    elif isinstance(module, Encoder):
        module.register_forward_pre_hook(to_float)


class Encoder(nn.Module):
    def __init__(self, genes=200, hidden=64, latent=10):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(genes, hidden), nn.BatchNorm1d(hidden), nn.ReLU())
        self.mean = nn.Linear(hidden, latent)
        self.dropout_gate = nn.Linear(hidden, genes)

    def forward(self, counts):
        lib = counts.sum(1, keepdim=True)
        x = torch.log1p(counts / lib.clamp_min(1.0) * 1e4)
        h = self.fc(x)
        return self.mean(h), torch.sigmoid(self.dropout_gate(h))


class SCANVI(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.cls = nn.Linear(10, 8)
        self.apply(init)

    def forward(self, counts):
        z, pi = self.enc(counts)
        return self.cls(z), pi


def _inputs(n):
    x = torch.poisson(torch.rand(n, 200) * 2).long()
    x[:5] = 0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": SCANVI().eval(), "inputs": _inputs, "kind": "benign"}
