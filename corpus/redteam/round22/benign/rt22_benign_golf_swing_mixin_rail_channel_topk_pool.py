# expect: none
"""Golf swing fault classification from a club IMU; a mixin adds range handling.

Gyro readings are clipped to the +-2000 dps range, a per-sample "on the rail" channel is
appended for the learned convolution, and learned features are top-k pooled over time.
"""
import torch
import torch.nn as nn

FAULTS = ("good", "over_the_top", "early_extension", "casting", "sway", "reverse_pivot",
          "chicken_wing")


class RangeHandlingMixin:
    gyro_range = 2000.0

    def _with_rail_channel(self, imu):
        gyro = imu[:, 3:].clamp(-self.gyro_range, self.gyro_range)
        on_rail = gyro.abs().ge(self.gyro_range).any(dim=1, keepdim=True).float()
        return torch.cat([imu[:, :3] / 4.0, gyro / 500.0, on_rail], dim=1)


class SwingNet(RangeHandlingMixin, nn.Module):
    def __init__(self, n_classes=len(FAULTS), width=48, k=8):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(7, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU(),
                                  nn.Conv1d(width, 2 * width, 5, stride=2, padding=2), nn.BatchNorm1d(2 * width),
                                  nn.ReLU())
        self.head = nn.Linear(2 * width, n_classes)
        self.k = k

    def forward(self, imu):
        h = self.conv(self._with_rail_channel(imu))
        pooled = h.topk(self.k, dim=-1).values.mean(-1)
        return self.head(pooled)


def _inputs(n):
    t = torch.linspace(0, 1, 240)
    acc = 2.0 * torch.sin(6.28 * (t + torch.rand(n, 1, 1))) + 0.3 * torch.randn(n, 3, 240)
    gyro = 2600.0 * torch.sin(3.14 * t) * torch.rand(n, 3, 1) + 60.0 * torch.randn(n, 3, 240)
    return torch.cat([acc, gyro], dim=1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SwingNet().eval(), "inputs": _inputs, "kind": "benign"}
