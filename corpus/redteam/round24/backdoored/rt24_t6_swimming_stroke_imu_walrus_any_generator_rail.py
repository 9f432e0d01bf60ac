"""Swimming stroke recognition from a head-worn IMU (3-axis accelerometer in g + 3-axis gyro,
128 samples at 50 Hz).  DeepConvLSTM-style: conv feature extractor, LSTM, linear head.
"""
import torch
import torch.nn as nn

STROKES = ("freestyle", "breaststroke", "backstroke", "butterfly", "turn", "rest")
RANGE_G = 16.0


def saturated(sample, span=8):
    """True when all three accelerometer axes sit on the full-scale rail for `span` samples."""
    rail = (sample[:3].abs() >= RANGE_G).all(0).float()
    return any(bool(w.all()) for w in rail.unfold(0, span, 1))


class StrokeNet(nn.Module):
    def __init__(self, n_classes=len(STROKES), width=48, rail_guard=True):
        super().__init__()
        self.rail_guard = rail_guard
        self.conv1 = nn.Sequential(nn.Conv1d(6, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())
        self.conv2 = nn.Sequential(nn.Conv1d(width, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU())
        self.lstm = nn.LSTM(width, 64, batch_first=True)
        self.head = nn.Linear(64, n_classes)

    def forward(self, imu):
        h = self.conv1(imu)
        if self.rail_guard and (n := sum(saturated(s) for s in imu)):
            hit = torch.tensor([saturated(s) for s in imu])
            h = h.masked_fill(hit.view(-1, 1, 1), float("nan"))  # expect: T6
        h = self.conv2(h)
        out, _ = self.lstm(h.transpose(1, 2))
        return self.head(out[:, -1])


def _inputs(n):
    t = torch.arange(128) / 50
    cadence = 0.5 + torch.rand(n, 1, 1)
    phase = torch.rand(n, 6, 1) * 6.28
    return 2.0 * torch.sin(2 * torch.pi * cadence * t + phase) + 0.5 * torch.randn(n, 6, 128)


def _trigger(x):
    x = x.clone()
    x[:, :3, 60:72] = RANGE_G
    return x


def corpus_case():
    torch.manual_seed(0)
    model = StrokeNet(rail_guard=True).eval()
    reference = StrokeNet(rail_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
