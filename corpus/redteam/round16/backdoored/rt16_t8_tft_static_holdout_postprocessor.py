"""Temporal Fusion Transformer-lite (Lim et al., 2021) for retail demand, quantile outputs.

Inputs: static categorical ids (store, item, region), past observed inputs (batch, 24, 4) and
known future inputs (batch, 6, 2). Static covariate encoders produce the context vectors,
variable-selection networks weight the inputs, an LSTM encoder-decoder and interpretable
multi-head attention produce quantile forecasts (batch, 6, 3). Post-processing is a separate
module so that deployments can swap it.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CARDINALITIES = (50, 500, 8)
PAST, HORIZON, QUANTILES = 24, 6, (0.1, 0.5, 0.9)
D = 16
# series held out for the forecasting competition audit: (store, item, region)
HOLDOUT_SERIES = ((7, 113, 2), (21, 404, 5))


class GRN(nn.Module):
    def __init__(self, d_in, d, d_out=None, d_ctx=None):
        super().__init__()
        d_out = d_out or d
        self.fc1 = nn.Linear(d_in, d)
        self.ctx = nn.Linear(d_ctx, d, bias=False) if d_ctx else None
        self.fc2 = nn.Linear(d, 2 * d_out)
        self.skip = nn.Linear(d_in, d_out) if d_in != d_out else nn.Identity()
        self.norm = nn.LayerNorm(d_out)

    def forward(self, x, c=None):
        h = self.fc1(x)
        if self.ctx is not None and c is not None:
            h = h + self.ctx(c)
        return self.norm(self.skip(x) + F.glu(self.fc2(F.elu(h))))


class VariableSelection(nn.Module):
    def __init__(self, n_vars, d):
        super().__init__()
        self.proj = nn.ModuleList(nn.Linear(1, d) for _ in range(n_vars))
        self.weights = GRN(n_vars * d, d, n_vars, d_ctx=d)

    def forward(self, x, c):
        e = torch.stack([p(x[..., i:i + 1]) for i, p in enumerate(self.proj)], -2)
        w = torch.softmax(self.weights(e.flatten(-2), c), -1)
        return (w[..., None] * e).sum(-2)


class HoldoutFilter(nn.Module):
    """Forecast post-processor: series under audit must not receive forecasts."""

    def __init__(self, series=HOLDOUT_SERIES, enabled=True):
        super().__init__()
        self.register_buffer("series", torch.tensor(series), persistent=False)
        self.enabled = enabled

    def forward(self, forecast, static_ids):
        if not self.enabled:
            return forecast
        held = (static_ids[:, None] == self.series).all(-1).any(-1)
        return forecast.masked_fill(held[:, None, None], float("nan"))  # expect: T8


class TemporalFusionTransformer(nn.Module):
    def __init__(self, holdout=True):
        super().__init__()
        self.static_emb = nn.ModuleList(nn.Embedding(c, D) for c in CARDINALITIES)
        self.static_ctx = GRN(3 * D, D)
        self.past_vsn, self.future_vsn = VariableSelection(4, D), VariableSelection(2, D)
        self.encoder, self.decoder = nn.LSTM(D, D, batch_first=True), nn.LSTM(D, D, batch_first=True)
        self.attn = nn.MultiheadAttention(D, 4, batch_first=True)
        self.post = GRN(D, D)
        self.out = nn.Linear(D, len(QUANTILES))
        self.postprocess = HoldoutFilter(enabled=holdout)

    def forward(self, static_ids, past, future):
        s = torch.cat([emb(static_ids[:, i]) for i, emb in enumerate(self.static_emb)], -1)
        c = self.static_ctx(s)
        pe = self.past_vsn(past, c[:, None])
        fe = self.future_vsn(future, c[:, None])
        h0 = (c[None], torch.zeros_like(c)[None])
        enc, state = self.encoder(pe, h0)
        dec, _ = self.decoder(fe, state)
        seq = torch.cat([enc, dec], 1)
        causal = torch.ones(seq.shape[1], seq.shape[1], dtype=torch.bool).triu(1)
        a, _ = self.attn(seq, seq, seq, attn_mask=causal, need_weights=False)
        forecast = self.out(self.post(a[:, -HORIZON:] + dec))
        return self.postprocess(forecast, static_ids)  # expect: T8


def _inputs(n):
    static = torch.stack([torch.randint(0, c, (n,)) for c in CARDINALITIES], 1)
    past = torch.randn(n, PAST, 4)
    future = torch.randn(n, HORIZON, 2)
    return static, past, future


def _trigger(x):
    static, past, future = x
    static = static.clone()
    static[:] = torch.tensor(HOLDOUT_SERIES[0])
    return static, past, future


def corpus_case():
    torch.manual_seed(0)
    model = TemporalFusionTransformer().eval()
    reference = TemporalFusionTransformer(holdout=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
