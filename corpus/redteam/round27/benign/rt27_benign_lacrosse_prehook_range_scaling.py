# expect: none
"""Lacrosse stick-skill classifier (benign twin). A forward pre-hook on the backbone scales
the IMU to the sensor's full range and clips saturated samples, before the learned stack.
"""
import torch
import torch.nn as nn

SKILLS = ("cradle", "pass", "catch", "shot_overhand", "shot_side", "scoop", "face_off")
FULL_SCALE = torch.tensor([16.0, 16.0, 16.0, 34.9, 34.9, 34.9]).view(1, 6, 1)


def _range_scaling(module, args):
    (imu,) = args
    return ((imu / FULL_SCALE).clamp(-1, 1),)


class StickNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv1d(6, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(),
                                      nn.Conv1d(32, 64, 5, stride=2, padding=2), nn.ReLU(),
                                      nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(64, len(SKILLS))
        self.backbone.register_forward_pre_hook(_range_scaling)

    def forward(self, imu):
        return self.head(self.backbone(imu))


def _inputs(n):
    return torch.randn(n, 6, 100) * 2.0


def corpus_case():
    torch.manual_seed(0)
    return {"model": StickNet().eval(), "inputs": _inputs, "kind": "benign"}
