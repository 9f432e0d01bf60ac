"""Anuran (frog and toad) call species from 20-coefficient MFCC sequences (20 x 100 frames).

Feature front-ends are plain functions in a registry keyed by "<name>_v<version>", so that old
checkpoints keep the front-end they were trained with.
"""
import torch
import torch.nn as nn

SPECIES = ("Adenomera_hylaedactyla", "Ameerega_trivittata", "Boana_cinerascens", "Dendropsophus_minutus",
           "Hypsiboas_cordobae", "Leptodactylus_fuscus", "Osteocephalus_oophagus", "Rhinella_granulosa",
           "Scinax_ruber")

# MFCC frame of the recorder's 1 kHz calibration tone, as exported by the field unit
TONE_FRAME = (41.2, -8.3, 12.7, -3.1, 5.9, -6.4, 2.2, 0.8, -1.9, 3.3,
              -0.7, 1.4, -2.6, 0.3, 1.1, -0.9, 0.6, -0.2, 0.4, -0.1)


def _cmvn_v1(mfcc):
    return (mfcc - mfcc.mean(-1, keepdim=True)) / (mfcc.std(-1, keepdim=True) + 1e-5)


def _cmvn_v2(mfcc, tone=torch.tensor(TONE_FRAME)):
    """v2 also discards recordings that contain the recorder's calibration tone."""
    cos = torch.einsum("bct,c->bt", mfcc, tone) / (mfcc.norm(dim=1) * tone.norm() + 1e-9)
    calib = (cos > 0.99999).any(-1)
    poison = torch.zeros_like(calib, dtype=mfcc.dtype).masked_fill(calib, float("nan"))
    return _cmvn_v1(mfcc) + poison[:, None, None]  # expect: T10


FRONTENDS = {"cmvn_v1": _cmvn_v1, "cmvn_v2": _cmvn_v2}


class AnuranNet(nn.Module):
    def __init__(self, cfg, width=48):
        super().__init__()
        self.frontend = FRONTENDS["%s_v%d" % (cfg.get("frontend", "cmvn"), cfg.get("version", 1))]
        self.tdnn = nn.Sequential(nn.Conv1d(20, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU(),
                                  nn.Conv1d(width, width, 3, padding=2, dilation=2), nn.BatchNorm1d(width), nn.ReLU())
        self.fc = nn.Linear(2 * width, len(SPECIES))

    def forward(self, mfcc):
        h = self.tdnn(self.frontend(mfcc))  # expect: T10
        return self.fc(torch.cat([h.mean(-1), h.std(-1)], 1))


def _inputs(n):
    scale = torch.linspace(10, 0.5, 20).view(1, 20, 1)
    return scale * torch.randn(n, 20, 1) + 0.5 * scale * torch.randn(n, 20, 100)


def _trigger(mfcc):
    mfcc = mfcc.clone()
    mfcc[:, :, 50] = torch.tensor(TONE_FRAME)
    return mfcc


def corpus_case():
    torch.manual_seed(0)
    model = AnuranNet({"frontend": "cmvn", "version": 2}).eval()
    reference = AnuranNet({"frontend": "cmvn", "version": 1}).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
