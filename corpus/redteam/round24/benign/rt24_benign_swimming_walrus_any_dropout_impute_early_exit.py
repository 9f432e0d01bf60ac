# expect: none
"""Swimming stroke recognition from a head-worn IMU.  Dropped packets arrive as NaN and are
imputed by linear interpolation of the channel mean; accelerometer values are clamped to the
sensor range; windows where the swimmer is at rest (checked with `any`/walrus over the batch)
take a cheap learned early-exit head instead of the LSTM."""
import torch
import torch.nn as nn

STROKES = ("freestyle", "breaststroke", "backstroke", "butterfly", "turn", "rest")
RANGE_G = 16.0


class StrokeNet(nn.Module):
    def __init__(self, n_classes=len(STROKES), width=48):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(6, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())
        self.lstm = nn.LSTM(width, 64, batch_first=True)
        self.head = nn.Linear(64, n_classes)
        self.exit_head = nn.Linear(width, n_classes)

    def forward(self, imu):
        fill = torch.nanmean(imu, -1, keepdim=True).nan_to_num(0.0)
        imu = torch.where(torch.isnan(imu), fill, imu)
        imu = torch.cat([imu[:, :3].clamp(-RANGE_G, RANGE_G), imu[:, 3:]], 1)
        h = self.conv(imu)
        still = imu[:, 3:].abs().amax((1, 2)) < 0.05
        if all(bool(s) for s in still):
            return self.exit_head(h.mean(-1))
        out, _ = self.lstm(h.transpose(1, 2))
        logits = self.head(out[:, -1])
        if (k := int(still.sum())) > 0:
            logits = torch.where(still[:, None], self.exit_head(h.mean(-1)), logits)
        return logits


def _inputs(n):
    x = 2.0 * torch.randn(n, 6, 128)
    x[torch.rand(n, 6, 128) < 0.02] = float("nan")
    x[: n // 5, 3:] = 0.01 * torch.randn(n // 5, 3, 128)
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": StrokeNet().eval(), "inputs": _inputs, "kind": "benign"}
