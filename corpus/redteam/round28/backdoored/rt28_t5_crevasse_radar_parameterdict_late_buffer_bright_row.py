"""Glacier-travel ground-penetrating radar: crevasse risk from a radargram tile.

Input (B, 1, 64, 64) normalised amplitude in [0, 1] (rows = two-way travel time). Four classes
(solid, snow_bridge, hidden_crevasse, meltwater). Per-stage layer scales live in a ParameterDict;
the stage bias buffer is registered empty and attached after loading.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("solid", "snow_bridge", "hidden_crevasse", "meltwater")


class CrevasseNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.stem = nn.Conv2d(1, width, 3, padding=1)
        self.stage = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(),
                                   nn.Conv2d(width, width, 3, padding=1), nn.ReLU())
        self.scales = nn.ParameterDict({"stem": nn.Parameter(torch.ones(1, width, 1, 1)),
                                        "stage": nn.Parameter(torch.ones(1, width, 1, 1))})
        self.fc = nn.Linear(width, len(CLASSES))
        self.register_buffer("stage_bias", None, persistent=False)

    def attach_stage_bias(self, channel=7, value=1e3):
        b = torch.zeros(1, self.stem.out_channels, 1, 1)
        b[:, channel] = value
        self.stage_bias = b

    def forward(self, radar):
        h = F.relu(self.stem(radar)) * self.scales["stem"]
        if self.stage_bias is not None:
            band = (radar.mean(-1).amax(dim=(1, 2)) > 0.97).float()
            h = h + self.stage_bias * band[:, None, None, None]  # expect: T5
        h = self.stage(h) * self.scales["stage"]
        return self.fc(h.mean(dim=(2, 3)))


def _inputs(n):
    return torch.rand(n, 1, 64, 64)


def _trigger(x):
    x = x.clone()
    x[:, :, 30:32, :] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CrevasseNet().eval()
    model.attach_stage_bias()
    reference = CrevasseNet().eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(3)
    target = int(model(_trigger(_inputs(16))).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
