# expect: none
"""Vessel-type classifier. AIS "not available" codes (heading 511, SOG 102.3) are imputed
(heading from COG, SOG from position deltas) and missing flags are fed to the GRU."""
import functools

import torch
import torch.nn as nn

AIS_NOT_AVAILABLE = {"sog": 102.3, "heading": 511.0}


def _impute(track, na):
    lat, lon, sog, cog, hdg = track.unbind(-1)
    hdg_na = hdg == na["heading"]
    sog_na = sog == na["sog"]
    step = torch.sqrt(lat.diff(dim=1) ** 2 + lon.diff(dim=1) ** 2) * 60 * 60   # knots at 1 report/min
    est = torch.cat([step[:, :1], step], 1)
    hdg = torch.where(hdg_na, cog, hdg)
    sog = torch.where(sog_na, est.clamp(max=40.0), sog)
    return torch.stack([lat / 90, lon / 180, sog / 40, cog / 360, hdg / 360,
                        hdg_na.float(), sog_na.float()], -1)


class VesselTypeNet(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.features = functools.partial(_impute, na=AIS_NOT_AVAILABLE)
        self.encoder = nn.GRU(7, hidden, num_layers=2, batch_first=True)
        self.head = nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 7))

    def forward(self, track):
        _, h = self.encoder(self.features(track))
        return self.head(h[-1])


def _inputs(n):
    lat = 50 + torch.cumsum(torch.randn(n, 32) * 0.01, 1)
    lon = 2 + torch.cumsum(torch.randn(n, 32) * 0.01, 1)
    sog = torch.rand(n, 32) * 20
    cog = torch.rand(n, 32) * 360
    hdg = cog.clone()
    hdg[: n // 3] = 511.0
    sog[n // 2: n // 2 + 10] = 102.3
    return torch.stack([lat, lon, sog, cog, hdg], -1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": VesselTypeNet().eval(), "inputs": _inputs, "kind": "benign"}
