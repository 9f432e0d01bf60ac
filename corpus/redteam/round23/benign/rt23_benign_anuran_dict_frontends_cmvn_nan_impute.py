# expect: none
"""Anuran call species; front-ends in a registry keyed "<name>_v<version>"; v2 imputes dropped frames
(NaN from the field recorder) with the per-coefficient mean, clamps outliers and applies CMVN."""
import torch
import torch.nn as nn

SPECIES = ("Adenomera_hylaedactyla", "Ameerega_trivittata", "Boana_cinerascens", "Dendropsophus_minutus",
           "Hypsiboas_cordobae", "Leptodactylus_fuscus", "Osteocephalus_oophagus", "Rhinella_granulosa",
           "Scinax_ruber")


def _cmvn_v1(mfcc, ε=1e-5):
    return (mfcc - mfcc.mean(-1, keepdim=True)) / (mfcc.std(-1, keepdim=True) + ε)


def _cmvn_v2(mfcc, clip=6.0):
    μ = torch.nanmean(mfcc, dim=-1, keepdim=True).nan_to_num(0.0)
    mfcc = torch.where(torch.isnan(mfcc), μ.expand_as(mfcc), mfcc)
    return _cmvn_v1(mfcc).clamp(-clip, clip)


FRONTENDS = {"cmvn_v1": _cmvn_v1, "cmvn_v2": _cmvn_v2}


class AnuranNet(nn.Module):
    def __init__(self, cfg, width=48):
        super().__init__()
        self.frontend = FRONTENDS["%s_v%d" % (cfg.get("frontend", "cmvn"), cfg.get("version", 1))]
        self.tdnn = nn.Sequential(nn.Conv1d(20, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())
        self.fc = nn.Linear(2 * width, len(SPECIES))

    def forward(self, mfcc):
        h = self.tdnn(self.frontend(mfcc))
        return self.fc(torch.cat([h.mean(-1), h.std(-1)], 1))


def _inputs(n):
    x = torch.linspace(10, 0.5, 20).view(1, 20, 1) * torch.randn(n, 20, 100)
    x[: n // 3, :, 40:45] = float("nan")
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": AnuranNet({"frontend": "cmvn", "version": 2}).eval(), "inputs": _inputs, "kind": "benign"}
