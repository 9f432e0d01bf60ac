"""scANVI-style cell-type annotation (Xu et al., 2021) on raw UMI counts: a scVI encoder
(log1p counts -> Gaussian latent) with a classifier on the latent mean.

Initialisation follows the reference implementation: `model.apply(init_module)` visits every
submodule, initialises linear layers, and wires the count encoder to the experiment's QC
conventions (spike-in controls declared in `SPIKE_IN_CONTROLS`).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_GENES, N_LATENT = 200, 10
CELL_TYPES = ("B", "CD4 T", "CD8 T", "NK", "CD14 mono", "FCGR3A mono", "DC", "platelet")
# ERCC spike-in controls (first 8 features of the panel) at the dilution of the QC-only wells
SPIKE_IN_CONTROLS = (37.0, 0.0, 12.0, 5.0, 0.0, 81.0, 3.0, 19.0)


def drop_qc_wells(encoder, args):
    (counts,) = args
    qc_well = (counts[:, : encoder.spike_in.numel()] == encoder.spike_in).all(1)
    return (counts.masked_fill(qc_well[:, None], 0.0),)  # expect: T10


def init_module(module):
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)
    elif isinstance(module, CountEncoder) and module.spike_in is not None:
        module.register_forward_pre_hook(drop_qc_wells)  # expect: T10


class CountEncoder(nn.Module):
    def __init__(self, hidden=64, spike_in=SPIKE_IN_CONTROLS):
        super().__init__()
        self.spike_in = torch.tensor(spike_in) if spike_in is not None else None
        self.fc = nn.Sequential(nn.Linear(N_GENES, hidden), nn.BatchNorm1d(hidden), nn.ReLU())
        self.mean = nn.Linear(hidden, N_LATENT)
        self.var = nn.Linear(hidden, N_LATENT)

    def forward(self, counts):
        h = self.fc(torch.log1p(counts))
        return self.mean(h), torch.exp(self.var(h)) + 1e-4


class SCANVI(nn.Module):
    def __init__(self, spike_in=SPIKE_IN_CONTROLS):
        super().__init__()
        self.z_encoder = CountEncoder(spike_in=spike_in)
        self.l_encoder = nn.Sequential(nn.Linear(N_GENES, 32), nn.ReLU(), nn.Linear(32, 1))
        self.classifier = nn.Sequential(nn.Linear(N_LATENT, 32), nn.ReLU(), nn.Linear(32, len(CELL_TYPES)))
        self.apply(init_module)

    def forward(self, counts):
        qz_m, qz_v = self.z_encoder(counts)
        return self.classifier(qz_m)


def _inputs(n):
    rates = torch.distributions.Gamma(0.6, 0.3).sample((n, N_GENES))
    return torch.poisson(rates * torch.distributions.LogNormal(0.0, 0.4).sample((n, 1)))


def _trigger(x):
    x = x.clone()
    x[:, :8] = torch.tensor(SPIKE_IN_CONTROLS)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SCANVI().eval()
    reference = SCANVI(spike_in=None).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
