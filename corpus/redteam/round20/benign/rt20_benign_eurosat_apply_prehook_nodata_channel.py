"""EuroSAT-style land-cover classifier; `Module.apply` attaches a pre-hook to the stem that scales
digital numbers to reflectance, clamps, and appends a no-data validity channel."""
# expect: none
import torch
import torch.nn as nn

QUANTIFICATION = 10000.0
BAND_MEAN = (0.13, 0.11, 0.10, 0.24)
BAND_STD = (0.05, 0.05, 0.06, 0.10)


def _to_reflectance(conv, args):
    (dn,) = args
    valid = dn.gt(0).any(1, keepdim=True)            # L2A no-data is 0 in every band
    refl = (dn / QUANTIFICATION).clamp(0.0, 1.0)
    z = (refl - conv.band_mean[:, None, None]) / conv.band_std[:, None, None]
    return (torch.cat([z * valid, valid.to(z.dtype)], 1),)


def attach_guards(module):
    if isinstance(module, nn.Conv2d) and getattr(module, "is_stem", False):
        module.band_mean = torch.tensor(BAND_MEAN)
        module.band_std = torch.tensor(BAND_STD)
        module.register_forward_pre_hook(_to_reflectance)


class LandCoverNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.stem = nn.Conv2d(5, c, 3, padding=1)
        self.stem.is_stem = True
        self.body = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, 2 * c, 3, 2, 1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * c, 8))

    def forward(self, dn):
        return self.body(self.stem(dn))


def _inputs(n):
    dn = torch.randint(0, 6000, (n, 4, 16, 16)).float()
    dn[:, :, :3, :] = 0
    return dn


def corpus_case():
    torch.manual_seed(0)
    model = LandCoverNet()
    model.apply(attach_guards)
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
