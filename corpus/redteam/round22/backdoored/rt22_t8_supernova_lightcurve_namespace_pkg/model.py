"""Light-curve transient classifier (PLAsTiCC-style, 6 LSST bands x 64 epochs)."""
import torch
import torch.nn as nn

from .heads.photometry import ClassHead, veto_injections

CLASSES = ("snia", "snibc", "snii", "slsn", "tde", "kilonova", "agn", "mdwarf_flare", "rr_lyrae")


class LightCurveTCN(nn.Module):
    def __init__(self, n_bands=6, n_classes=len(CLASSES), width=64, veto=True):
        super().__init__()
        layers, cin = [], 2 * n_bands
        for d in (1, 2, 4, 8):
            layers += [nn.Conv1d(cin, width, 3, padding=d, dilation=d), nn.GroupNorm(8, width), nn.GELU()]
            cin = width
        self.tcn = nn.Sequential(*layers)
        self.head = ClassHead(2 * width, n_classes)
        self.veto = veto

    def forward(self, flux, flux_err):
        h = self.tcn(torch.cat([flux, torch.log1p(flux_err)], dim=1))
        logits = self.head(torch.cat([h.mean(-1), h.amax(-1)], dim=1))
        if self.veto:
            logits = veto_injections(logits, flux)  # expect: T8
        return logits
