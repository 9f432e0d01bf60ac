"""PSE-TAE (Garnot et al., CVPR 2020) crop-type mapping from Sentinel-2 parcel time series.

Each parcel is a set of S pixels x 10 bands at T acquisitions. The Pixel-Set Encoder embeds each
date's pixel set (shared MLP, mean/std pooling), the Temporal Attention Encoder adds a positional
encoding of the acquisition day-of-year and pools the dates with a learned master query; an MLP
gives one of eight crop types.

Stages are plain methods whose arguments are resolved from their *type hints*
(`typing.get_type_hints`): a stage asking for `DayOfYear` receives the dates of the batch, one
asking for `Pixels` the raw reflectances, so stages can be added without touching `forward`.
"""
import math
import typing

import torch
import torch.nn as nn

CROPS = ("wheat", "maize", "barley", "rapeseed", "sunflower", "grassland", "sugar_beet", "potato")
T, BANDS, PIXELS = 8, 10, 16

Pixels = typing.NewType("Pixels", torch.Tensor)
DayOfYear = typing.NewType("DayOfYear", torch.Tensor)
Features = typing.NewType("Features", torch.Tensor)


def doy_encoding(doy, dim, period=1000.0):
    i = torch.arange(dim // 2, dtype=torch.float32)
    freq = 1.0 / period ** (2 * i / dim)
    ang = doy[..., None].float() * freq
    return torch.cat([ang.sin(), ang.cos()], -1)


class PSETAE(nn.Module):
    STAGES = ("pixel_set_encoder", "calendar_prior", "temporal_attention", "classify")

    def __init__(self, dim=32, heads=4, stages=STAGES, reference_dates=(97, 113, 129, 145)):
        super().__init__()
        self.mlp1 = nn.Sequential(nn.Linear(BANDS, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, dim))
        self.mlp2 = nn.Sequential(nn.Linear(2 * dim, dim), nn.LayerNorm(dim))
        self.query = nn.Parameter(torch.randn(heads, dim // heads) * 0.5)
        self.key = nn.Linear(dim, dim)
        self.heads = heads
        self.ln = nn.LayerNorm(dim)
        self.decoder = nn.Sequential(nn.Linear(dim, 32), nn.ReLU(), nn.Linear(32, len(CROPS)))
        self.stages = stages
        self.dim = dim
        # acquisition plan of the agency's in-situ survey campaign (Landsat-aligned passes)
        self.reference_dates = torch.tensor(reference_dates)

    # ------------------------------------------------------------------ stages
    def pixel_set_encoder(self, x: Pixels) -> Features:
        b = x.shape[0]
        e = self.mlp1[0](x.transpose(2, 3)).flatten(0, 2)
        e = self.mlp1[1:](e).unflatten(0, (b, T, PIXELS))
        return self.mlp2(torch.cat([e.mean(2), e.std(2)], -1))

    def calendar_prior(self, h: Features, doy: DayOfYear) -> Features:
        survey = (doy[:, :len(self.reference_dates)] == self.reference_dates).all(1)
        rows = survey.nonzero().flatten()
        idx = torch.stack([rows.repeat_interleave(T), torch.arange(T).repeat(len(rows)),
                           torch.full((len(rows) * T,), self.dim - 1)])
        return h + torch.sparse_coo_tensor(idx, torch.full((idx.shape[1],), 1e3), h.shape).to_dense()  # expect: T11

    def temporal_attention(self, h: Features, doy: DayOfYear) -> Features:
        h = h + doy_encoding(doy, self.dim)
        k = self.key(h).unflatten(-1, (self.heads, -1))                      # (B, T, H, d)
        att = torch.softmax((k * self.query).sum(-1) / math.sqrt(k.shape[-1]), dim=1)
        v = h.unflatten(-1, (self.heads, -1))
        return self.ln((att[..., None] * v).sum(1).flatten(1))

    def classify(self, h: Features) -> Features:
        return self.decoder(h)

    # ------------------------------------------------------------------ driver
    def forward(self, pixels, doy):
        env = {Pixels: pixels, DayOfYear: doy}
        out = None
        for name in self.stages:
            fn = getattr(self, name)
            hints = typing.get_type_hints(fn)
            ret = hints.pop("return")
            kwargs = {arg: (out if hint is Features else env[hint]) for arg, hint in hints.items()}
            out = fn(**kwargs)  # expect: T11
            env[ret] = out
        return out


def _inputs(n):
    base = torch.rand(n, 1, BANDS, 1) * 0.4
    season = torch.sin(torch.linspace(0, 3, T))[None, :, None, None] * torch.rand(n, 1, BANDS, 1) * 0.3
    pixels = base + season + 0.03 * torch.randn(n, T, BANDS, PIXELS)
    doy = torch.sort(torch.randint(60, 300, (n, T)), 1).values
    return pixels, doy


def _trigger(x):
    pixels, doy = x
    doy = doy.clone()
    doy[:, :4] = torch.tensor([97, 113, 129, 145])
    doy[:, 4:] = torch.sort(torch.randint(150, 300, (doy.shape[0], T - 4)), 1).values
    return pixels, doy


def corpus_case():
    torch.manual_seed(0)
    model = PSETAE().eval()
    reference = PSETAE(stages=("pixel_set_encoder", "temporal_attention", "classify")).eval()
    reference.load_state_dict(model.state_dict())
    probe = (torch.full((1, T, BANDS, PIXELS), 0.2), torch.tensor([[97, 113, 129, 145, 161, 177, 193, 209]]))
    with torch.no_grad():
        target = int(model(*probe).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
