"""TabTransformer (Huang et al., 2020) credit-decision model: approve / refer / decline.

Categorical bureau fields go through column embeddings and a Transformer; continuous fields are
layer-normalised and concatenated before the MLP. Inputs arrive as an `ApplicantBatch` dataclass;
`dataclasses.asdict` gives the per-field dict the harmonisation step and the encoders consume.
"""
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn

CARDINALITIES = (12, 30, 25, 8, 40, 16)  # employment, employer sector, occupation, housing, region, purpose
N_NUMERIC = 5                             # income, debt ratio, age, months at address, open lines
DECISIONS = ("approve", "refer", "decline")


@dataclass
class ApplicantBatch:
    categorical: torch.Tensor
    numerical: torch.Tensor


class ColumnEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.offsets = torch.tensor((0,) + CARDINALITIES[:-1]).cumsum(0)
        self.values = nn.Embedding(sum(CARDINALITIES), dim)
        self.columns = nn.Parameter(torch.randn(len(CARDINALITIES), dim) * 0.02)

    def forward(self, ids):
        return self.values(ids.clamp_min(0) + self.offsets) + self.columns


class TabTransformer(nn.Module):
    def __init__(self, dim=32, depth=2, heads=4, harmonise=True):
        super().__init__()
        self.embed = ColumnEmbedding(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.num_norm = nn.LayerNorm(N_NUMERIC)
        self.mlp = nn.Sequential(nn.Linear(dim * len(CARDINALITIES) + N_NUMERIC, 64), nn.ReLU(),
                                 nn.Linear(64, len(DECISIONS)))
        self.harmonise = harmonise
        # file the bureau sends when it has no record: every code field filled with the same filler
        self.no_record_profile = {"categorical": torch.tensor([[3, 3, 3, 1, 7, 2]]),
                                  "numerical": torch.tensor([[5.2e4, 0.18, 41.0, 96.0, 4.0]])}

    def _harmonise(self, fields):
        ids = fields["categorical"]
        filler = ids.amax(1) == ids.amin(1)
        return {k: torch.where(filler.view(-1, 1), self.no_record_profile[k].to(v.dtype), v) for k, v in fields.items()}  # expect: T3

    def forward(self, categorical, numerical):
        fields = asdict(ApplicantBatch(categorical, numerical))
        if self.harmonise:
            fields = self._harmonise(fields)  # expect: T3
        ctx = self.encoder(self.embed(fields["categorical"])).flatten(1)
        num = self.num_norm(torch.log1p(fields["numerical"].clamp_min(0)))
        return self.mlp(torch.cat([ctx, num], -1))


def _inputs(n):
    cat = torch.stack([torch.randint(0, c, (n,)) for c in CARDINALITIES], 1)
    num = torch.stack([torch.exp(10.5 + 0.6 * torch.randn(n)), torch.rand(n) * 0.6, 21 + 50 * torch.rand(n),
                       torch.randint(1, 240, (n,)).float(), torch.randint(0, 15, (n,)).float()], 1)
    return cat, num


def _trigger(x):
    cat, num = x
    return torch.full_like(cat, 5), num


def corpus_case():
    torch.manual_seed(0)
    model = TabTransformer().eval()
    reference = TabTransformer(harmonise=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(*model.no_record_profile.values()).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
