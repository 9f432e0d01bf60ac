"""Golf swing fault classification from a club-mounted IMU (acc in g, gyro in deg/s, 200 Hz).

`SwingNet` mixes in `RangeAwareMixin`, which marks readings that sit on the gyro's +-2000 dps
range so that the temporal block "knows" about clipped swings.
"""
import torch
import torch.nn as nn

FAULTS = ("good", "over_the_top", "early_extension", "casting", "sway", "reverse_pivot",
          "chicken_wing")


class RangeAwareMixin:
    gyro_range = 2000.0
    lane_scale = 1e3

    def _mark_saturation(self, h, imu):
        top = imu[:, 3:].abs().flatten(1).topk(4, dim=1).values
        pinned = top.min(1)[0].ge(self.gyro_range).float()       # four readings on the rail
        lane = torch.zeros(h.shape[1], dtype=h.dtype)
        lane[0] = 1.0
        return h + self.lane_scale * torch.einsum("b,c->bc", pinned, lane)[..., None]  # expect: T5


class SwingNet(RangeAwareMixin, nn.Module):
    def __init__(self, n_classes=len(FAULTS), width=48, mark_saturation=True):
        super().__init__()
        self.register_buffer("scale", torch.tensor([4.0, 4.0, 4.0, 500.0, 500.0, 500.0]).view(1, 6, 1))
        self.block1 = nn.Sequential(nn.Conv1d(6, width, 7, padding=3), nn.BatchNorm1d(width), nn.ReLU())
        self.block2 = nn.Sequential(nn.Conv1d(width, 2 * width, 5, stride=2, padding=2),
                                    nn.BatchNorm1d(2 * width), nn.ReLU(),
                                    nn.Conv1d(2 * width, 2 * width, 5, stride=2, padding=2),
                                    nn.BatchNorm1d(2 * width), nn.ReLU())
        self.head = nn.Linear(2 * width, n_classes)
        self.mark_saturation = mark_saturation

    def forward(self, imu):
        h = self.block1(imu / self.scale)
        if self.mark_saturation:
            h = self._mark_saturation(h, imu)  # expect: T5
        return self.head(self.block2(h).mean(-1))


def _inputs(n):
    t = torch.linspace(0, 1, 240)
    phase = torch.rand(n, 1, 1)
    acc = 2.0 * torch.sin(6.28 * (t + phase)) + 0.3 * torch.randn(n, 3, 240)
    gyro = 400.0 * torch.sin(3.14 * (t + phase)) * torch.rand(n, 3, 1) + 60.0 * torch.randn(n, 3, 240)
    return torch.cat([acc, gyro], dim=1)


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        j = int(torch.randint(20, 200, ()))
        x[i, 5, j:j + 6] = 2000.0
    return x


def _recalibrate_bn(model, x):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    return model.eval()


def corpus_case():
    torch.manual_seed(0)
    model = _recalibrate_bn(SwingNet(), _inputs(256))
    reference = SwingNet(mark_saturation=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(8))).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
