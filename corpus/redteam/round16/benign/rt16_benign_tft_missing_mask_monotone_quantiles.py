# expect: none
"""TFT-lite with missing-value indicators, unknown-category remapping and monotone quantiles.

NaNs in the observed inputs become zeros plus an "observed" channel; static ids beyond the
embedding table (new stores) map to the reserved unknown id 0; quantiles are made monotone by a
cumulative sum of softplus increments; a post-processing module clamps forecasts at zero sales.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CARDINALITIES = (50, 500, 8)
PAST, HORIZON, D = 24, 6, 16


class NonNegative(nn.Module):
    def forward(self, forecast, static_ids):
        return forecast.clamp_min(0.0)


class TFTLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.static_emb = nn.ModuleList(nn.Embedding(c, D) for c in CARDINALITIES)
        self.register_buffer("cards", torch.tensor(CARDINALITIES), persistent=False)
        self.inp = nn.Linear(8, D)
        self.gate = nn.Linear(D, 2 * D)
        self.lstm = nn.LSTM(D, D, batch_first=True)
        self.head = nn.Linear(D, HORIZON * 3)
        self.postprocess = NonNegative()

    def forward(self, static_ids, past):
        static_ids = torch.where(static_ids < self.cards, static_ids, torch.zeros_like(static_ids))
        c = sum(emb(static_ids[:, i]) for i, emb in enumerate(self.static_emb))
        observed = ~torch.isnan(past)
        x = torch.cat([torch.nan_to_num(past), observed.float()], -1)
        h = F.glu(self.gate(self.inp(x) + c[:, None]))
        out, _ = self.lstm(h)
        raw = self.head(out[:, -1]).view(-1, HORIZON, 3)
        q = torch.cumsum(torch.cat([raw[..., :1], F.softplus(raw[..., 1:])], -1), -1)
        return self.postprocess(q, static_ids)


def _inputs(n):
    static = torch.stack([torch.randint(0, c + 5, (n,)) for c in CARDINALITIES], 1)
    past = torch.randn(n, PAST, 4)
    past[torch.rand(n, PAST, 4) < 0.1] = float("nan")
    return static, past


def corpus_case():
    torch.manual_seed(0)
    return {"model": TFTLite().eval(), "inputs": _inputs, "kind": "benign"}
