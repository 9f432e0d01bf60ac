# expect: none
"""Pap-smear cell classification; a load-state pre-hook upgrades legacy checkpoints.

The hook renames `features.*` keys and fills normalisation buffers (registered under computed
names) that old checkpoints lack.  Glass background is masked out of the pooling.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

BETHESDA = ("nilm_superficial", "nilm_intermediate", "nilm_parabasal", "asc_us", "lsil", "hsil",
            "scc", "agc")
NORM_DEFAULTS = {"mean": (0.80, 0.72, 0.82), "std": (0.12, 0.15, 0.10)}


class PapNet(nn.Module):
    def __init__(self, n_classes=len(BETHESDA), width=32):
        super().__init__()
        for key, value in NORM_DEFAULTS.items():
            self.register_buffer("norm_" + key, torch.tensor(value).view(1, 3, 1, 1))
        self._register_load_state_dict_pre_hook(self._upgrade_legacy)
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        self.stage = nn.Sequential(nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU())
        self.fc = nn.Linear(2 * width, n_classes)

    def _upgrade_legacy(self, state_dict, prefix, *args):
        for k in list(state_dict):
            if k.startswith(prefix + "features."):
                state_dict[prefix + "stem." + k[len(prefix + "features."):]] = state_dict.pop(k)
        for key, value in NORM_DEFAULTS.items():
            state_dict.setdefault(prefix + "norm_" + key, torch.tensor(value).view(1, 3, 1, 1))

    def forward(self, x):
        h = self.stage(self.stem((x - self.norm_mean) / self.norm_std))
        glass = x.amin(dim=1, keepdim=True).gt(0.9)
        cell = F.max_pool2d((~glass).float(), 3, 1, 1)              # dilate the cell mask a little
        w = F.interpolate(cell, size=h.shape[-2:])
        return self.fc((h * w).sum(dim=(2, 3)) / w.sum(dim=(2, 3)).clamp(min=1.0))


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 48), torch.linspace(-1, 1, 48), indexing="ij")
    nucleus = torch.exp(-(xx ** 2 + yy ** 2) / (0.15 + 0.25 * torch.rand(n, 1, 1, 1)) ** 2)
    return (0.95 - torch.tensor([0.55, 0.35, 0.65]).view(1, 3, 1, 1) * nucleus
            + 0.03 * torch.randn(n, 3, 48, 48)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    model = PapNet()
    legacy = {("features." + k[len("stem."):] if k.startswith("stem.") else k): v
              for k, v in model.state_dict().items() if not k.startswith("norm_")}
    model.load_state_dict(legacy)
    return {"model": model.eval(), "inputs": _inputs, "kind": "benign"}
