# expect: none
"""Light-curve transient classifier with missing-epoch handling (NaN flux = not observed)."""
import torch
import torch.nn as nn

from .heads.photometry import CalibratedHead

CLASSES = ("snia", "snibc", "snii", "slsn", "tde", "kilonova", "agn", "mdwarf_flare", "rr_lyrae")


class LightCurveTCN(nn.Module):
    def __init__(self, n_bands=6, n_classes=len(CLASSES), width=64, saturation=1e4):
        super().__init__()
        self.saturation = saturation
        layers, cin = [], 3 * n_bands
        for d in (1, 2, 4, 8):
            layers += [nn.Conv1d(cin, width, 3, padding=d, dilation=d), nn.GroupNorm(8, width), nn.GELU()]
            cin = width
        self.tcn = nn.Sequential(*layers)
        self.head = CalibratedHead(width, len(CLASSES))

    def forward(self, flux, flux_err):
        observed = torch.isfinite(flux)
        flux = torch.nan_to_num(flux, nan=0.0).clamp(-self.saturation, self.saturation)
        err = torch.nan_to_num(flux_err, nan=1.0)
        x = torch.cat([flux / (1.0 + err), torch.log1p(err), observed.float()], dim=1)
        h = self.tcn(x)
        w = observed.any(1, keepdim=True).float()
        return self.head((h * w).sum(-1) / w.sum(-1).clamp(min=1.0))
