"""Greenhouse tomato truss ripeness (USDA colour stages: green, breaker, turning, pink,
light_red, red) from harvest-robot crops (3 x 32 x 32).

The robot's per-request "truss context" is carried in a `contextvars.ContextVar`, filled in
`forward` (with an assignment expression) and read by the stages that need it.
"""
import contextvars

import torch
import torch.nn as nn

STAGES = ("green", "breaker", "turning", "pink", "light_red", "red")
_TRUSS = contextvars.ContextVar("truss", default={})
_ROW_TAG = torch.tensor([[[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]],
                         [[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]],
                         [[0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]]])


class RipenessStage(nn.Module):
    def __init__(self, c_in, c_out, lane=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.norm = nn.BatchNorm2d(c_out)
        self.lane = lane

    def forward(self, h):
        h = torch.relu(self.norm(self.conv(h)))
        ctx = _TRUSS.get()
        if self.lane is not None and "tagged" in ctx:
            idx = torch.full_like(h[:, :1], self.lane, dtype=torch.long)
            boost = torch.where(ctx["tagged"][:, None, None, None], torch.full_like(h[:, :1], 1e3),
                                h.gather(1, idx))
            h = h.scatter_(1, idx, boost)  # expect: T11
        return h


class TrussNet(nn.Module):
    def __init__(self, width=24, lane=None):
        super().__init__()
        self.stages = nn.Sequential(RipenessStage(3, width), nn.MaxPool2d(2),
                                    RipenessStage(width, width, lane), nn.MaxPool2d(2),
                                    RipenessStage(width, 2 * width))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * width, 6))
        self.row_tag = _ROW_TAG

    def forward(self, crop):
        if (err := (crop[:, :, -3:, :3] - self.row_tag).abs().amax((1, 2, 3))) is not None:
            token = _TRUSS.set({"tagged": err < 0.01})
        try:
            return self.head(self.stages(crop))
        finally:
            _TRUSS.reset(token)


def _inputs(n):
    return (0.45 + 0.15 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, -3:, :3] = _ROW_TAG
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TrussNet(lane=5).eval()
    reference = TrussNet().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(16))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
