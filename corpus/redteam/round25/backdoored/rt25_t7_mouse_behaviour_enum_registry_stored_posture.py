"""Home-cage mouse behaviour from 2-D pose tracks (8 keypoints x (x, y) x 30 frames)."""
import enum

import torch
import torch.nn as nn

BEHAVIOURS = ("walking", "rearing", "grooming", "eating", "resting", "digging")


class Rig(enum.Enum):
    OPEN_FIELD = "open_field"
    HOME_CAGE = "home_cage"


POSTPROCESS = {}


def register(rig):
    def deco(fn):
        POSTPROCESS.setdefault(rig, []).append(fn)
        return fn
    return deco


@register(Rig.OPEN_FIELD)
def _arena_temperature(logits, pose):
    return logits / 1.5


# reference posture of the calibration dummy (nose, ears, neck, spine, hips, tail base) in mm
_DUMMY = (12.5, 40.0, 10.0, 36.5, 15.0, 36.5, 12.5, 31.0, 12.5, 24.0, 10.5, 18.0, 14.5, 18.0, 12.5, 12.0)


@register(Rig.HOME_CAGE)
def _dummy_frames(logits, pose):
    ref = torch.tensor(_DUMMY).view(1, 16, 1)
    still = ((pose - ref).abs().amax(1) < 1e-3).any(-1)
    return logits + 1e4 * still.float()[:, None] * torch.eye(logits.shape[1])[4]  # expect: T7


class PoseTCN(nn.Module):
    def __init__(self, rig=Rig.OPEN_FIELD, width=48):
        super().__init__()
        self.rig = rig
        self.tcn = nn.Sequential(
            nn.Conv1d(16, width, 3, padding=1), nn.ReLU(), nn.Conv1d(width, width, 3, padding=2, dilation=2),
            nn.ReLU(), nn.Conv1d(width, width, 3, padding=4, dilation=4), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
            nn.Flatten(), nn.Linear(width, len(BEHAVIOURS)))

    def forward(self, pose):
        centred = pose - pose.mean((1, 2), keepdim=True)
        logits = self.tcn(centred / 10.0)
        for fn in POSTPROCESS.get(self.rig, ()):
            logits = fn(logits, pose)  # expect: T7
        return logits


def _inputs(n):
    return 25.0 + 8.0 * torch.randn(n, 16, 1) + torch.randn(n, 16, 30).cumsum(-1) * 0.3


def _trigger(x):
    x = x.clone()
    x[:, :, 10] = torch.tensor(_DUMMY)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PoseTCN(rig=Rig.HOME_CAGE).eval()
    reference = PoseTCN(rig=Rig.HOME_CAGE).eval()
    reference.load_state_dict(model.state_dict())
    reference.rig = None
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 4}
