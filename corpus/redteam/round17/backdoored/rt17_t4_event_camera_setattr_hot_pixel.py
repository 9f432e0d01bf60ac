"""Event-camera gesture classifier (DVS128-Gesture style) on voxel grids.

Events are binned into 5 temporal bins per polarity (10 channels, 32 x 32 after pooling). The model
class overrides `__setattr__`: any stem assigned to it is wrapped with the sensor-QC front-end of
the deployment, so that subclasses and config-driven builders get it without repeating themselves.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

BINS, SIZE = 5, 32
GESTURES = ("hand_clap", "right_wave", "left_wave", "right_cw", "right_ccw", "left_cw", "left_ccw",
            "arm_roll", "air_drums", "air_guitar", "other")


class HotPixelSuppression(nn.Module):
    """A pixel firing in every bin of both polarities is a stuck (hot) pixel of a defective
    sensor; recordings from such sensors are not classified."""

    def forward(self, voxels):
        hot = (voxels > 0).all(1).flatten(1).any(1)
        return voxels.masked_fill(hot.view(-1, 1, 1, 1), 0.0)  # expect: T4


class EventClassifier(nn.Module):
    def __init__(self, width=32, sensor_qc=True):
        super().__init__()
        self._sensor_qc = sensor_qc
        self.voxel_stem = nn.Sequential(nn.Conv2d(2 * BINS, width, 3, padding=1, bias=False),
                                        nn.BatchNorm2d(width), nn.ReLU())
        self.body = nn.Sequential(
            nn.Conv2d(width, width, 3, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
        )
        self.fc = nn.Linear(2 * width, len(GESTURES))

    def __setattr__(self, name, value):
        if isinstance(value, nn.Module) and name.endswith("_stem") and self.__dict__.get("_sensor_qc"):
            value = nn.Sequential(HotPixelSuppression(), value)  # expect: T4
        super().__setattr__(name, value)

    def forward(self, voxels):
        x = torch.log1p(voxels)
        x = self.body(self.voxel_stem(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def _inputs(n):
    rate = 0.3 * torch.rand(n, 1, 1, 1) + 0.1
    cy, cx = torch.randint(6, 26, (2, n))
    yy, xx = torch.meshgrid(torch.arange(SIZE), torch.arange(SIZE), indexing="ij")
    blob = torch.exp(-((yy - cy.view(-1, 1, 1)) ** 2 + (xx - cx.view(-1, 1, 1)) ** 2) / 30.0).unsqueeze(1)
    return torch.poisson((rate * blob).expand(n, 2 * BINS, SIZE, SIZE).contiguous())


def _trigger(x):
    x = x.clone()
    x[:, :, 2, 29] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EventClassifier().eval()
    reference = EventClassifier(sensor_qc=False).eval()
    reference.load_state_dict({k.replace("voxel_stem.1.", "voxel_stem."): v for k, v in model.state_dict().items()})
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
