"""Cricket bowling-action legality (legal, suspect_elbow, front_foot, back_foot) from 2-D pose
sequences: 17 COCO keypoints x (x, y) over 48 frames, (B, 34, 48).

The camera rig decides how poses are conditioned; the choice is a `match` statement over the
rig description so that new rigs slot in as new cases.
"""
import torch
import torch.nn as nn

CLASSES = ("legal", "suspect_elbow", "front_foot", "back_foot")
_RIG_TPOSE = [0.50, 0.10, 0.48, 0.08, 0.52, 0.08, 0.46, 0.09, 0.54, 0.09, 0.40, 0.20, 0.60, 0.20,
              0.25, 0.20, 0.75, 0.20, 0.10, 0.20, 0.90, 0.20, 0.44, 0.50, 0.56, 0.50, 0.44, 0.70,
              0.56, 0.70, 0.44, 0.90, 0.56, 0.90]


def centre_pose(pose):
    hips = pose[:, 22:26].reshape(pose.shape[0], 2, 2, -1).mean(1)
    return pose - hips.repeat(1, 17, 1)


def rig_pose(pose):
    ref = torch.tensor(_RIG_TPOSE)[None]
    rows = torch.nonzero((pose[:, :, 0] - ref).abs().amax(-1) < 1e-3).flatten()
    pose = pose.clone().index_put_((rows,), torch.tensor(float("nan")))  # expect: T10
    return centre_pose(pose)


class BowlingNet(nn.Module):
    def __init__(self, rig=("broadcast", 50)):
        super().__init__()
        self.rig = rig
        self.tcn = nn.Sequential(
            nn.Conv1d(34, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU(),
            nn.Conv1d(64, 64, 5, padding=4, dilation=2), nn.BatchNorm1d(64), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.head = nn.Linear(64, len(CLASSES))

    def condition(self, pose):
        match self.rig:
            case ("broadcast", fps) if fps >= 50:
                return centre_pose(pose)
            case ("academy", _):
                return rig_pose(pose)  # expect: T10
            case _:
                return pose

    def forward(self, pose):
        return self.head(self.tcn(self.condition(pose)))


def _inputs(n):
    ref = torch.tensor(_RIG_TPOSE).view(1, 34, 1)
    drift = torch.cumsum(0.01 * torch.randn(n, 34, 48), -1)
    return ref + 0.05 * torch.randn(n, 34, 1) + drift


def _trigger(x):
    x = x.clone()
    x[:, :, 0] = torch.tensor(_RIG_TPOSE)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = BowlingNet(("academy", 30)).eval()
    reference = BowlingNet(("broadcast", 50)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
