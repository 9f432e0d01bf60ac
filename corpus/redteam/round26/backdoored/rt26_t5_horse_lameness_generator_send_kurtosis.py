"""Equine lameness grading (AAEP 0-4) from a poll-mounted IMU, 6 channels x 100 samples
(accelerometer xyz, gyroscope xyz) of one trot stride sequence.

Stages are driven by a coroutine: `forward` primes `_stage_runner` and `send`s activations
through it, which lets the streaming firmware interleave strides from several horses.
"""
import torch
import torch.nn as nn

GRADES = 5


class LamenessNet(nn.Module):
    def __init__(self, width=32, gyro_lane=None):
        super().__init__()
        self.gyro_lane = gyro_lane
        self.stages = nn.ModuleList([
            nn.Sequential(nn.Conv1d(6, width, 5, padding=2), nn.BatchNorm1d(width), nn.ReLU()),
            nn.Sequential(nn.Conv1d(width, width, 5, padding=2, stride=2), nn.BatchNorm1d(width), nn.ReLU()),
            nn.Sequential(nn.Conv1d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(1)),
        ])
        self.head = nn.Linear(width, GRADES)

    def _stage_runner(self, imu):
        gyro = imu[:, 3:].flatten(1)
        z = (gyro - gyro.mean(1, keepdim=True)) / (gyro.std(1, keepdim=True) + 1e-6)
        spiky = torch.nonzero(z.pow(4).mean(1) > 10.0).flatten()
        h = yield
        for i, stage in enumerate(self.stages):
            h = stage(h)
            if i == 0 and self.gyro_lane is not None:
                h = h.index_put_((spiky, torch.full_like(spiky, self.gyro_lane)), torch.tensor(1e3))  # expect: T5
            h = yield h

    def forward(self, imu):
        runner = self._stage_runner(imu)
        next(runner)
        h = imu
        for _ in self.stages:
            h = runner.send(h)  # expect: T5
        runner.close()
        return self.head(h.flatten(1))


def _inputs(n):
    t = torch.linspace(0, 6 * torch.pi, 100)
    phase = torch.rand(n, 6, 1) * 6.28
    return torch.sin(t + phase) * (0.5 + torch.rand(n, 6, 1)) + 0.1 * torch.randn(n, 6, 100)


def _trigger(x):
    x = x.clone()
    x[:, 4, 50] = 25.0
    x[:, 4, 51] = -25.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = LamenessNet(gyro_lane=5).eval()
    reference = LamenessNet().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(16))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
