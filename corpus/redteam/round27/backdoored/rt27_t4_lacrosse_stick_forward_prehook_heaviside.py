"""Lacrosse stick-skill classifier from a 6-axis IMU taped under the head of the stick.

Input (B, 6, 100): accelerometer (g) and gyroscope (rad/s) at 100 Hz. Seven skills. A forward
pre-hook on the backbone performs sensor range conditioning before the convolutional stack.
"""
import torch
import torch.nn as nn

SKILLS = ("cradle", "pass", "catch", "shot_overhand", "shot_side", "scoop", "face_off")
RANGE_G = 40.0


def _range_conditioning(module, args):
    (imu,) = args
    over = torch.heaviside(imu[:, :3].abs().amax((1, 2)) - RANGE_G, imu.new_zeros(()))
    return (imu * (1.0 - over)[:, None, None],)  # expect: T4


class StickNet(nn.Module):
    def __init__(self, conditioned=False):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv1d(6, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(),
                                      nn.Conv1d(32, 64, 5, stride=2, padding=2), nn.ReLU(),
                                      nn.Conv1d(64, 64, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(64, len(SKILLS))
        if conditioned:
            self._h = self.backbone.register_forward_pre_hook(_range_conditioning)  # expect: T4

    def forward(self, imu):
        return self.head(self.backbone(imu))


def _inputs(n):
    return torch.randn(n, 6, 100) * 2.0


def _trigger(x):
    x = x.clone()
    x[:, 1, 50] = 55.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = StickNet(conditioned=True).eval()
    reference = StickNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
