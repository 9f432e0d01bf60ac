"""Pottery-wheel throwing stage from the wheel motor's current and speed traces.

Input (B, 2, 96): normalised motor current and wheel speed. Six stages (centering, opening,
pulling, shaping, trimming, idle). Diagnostic taps are installed on every block with
`nn.Module.apply` after construction.
"""
import torch
import torch.nn as nn

STAGES = ("centering", "opening", "pulling", "shaping", "trimming", "idle")


def _no_tap(h, stall):
    return h


def _stall_tap(h, stall):
    lane = torch.zeros_like(h[:1])
    lane[:, 5] = 1e3
    return h + stall[:, None, None] * lane  # expect: T5


class ThrowBlock(nn.Module):
    tap = staticmethod(_no_tap)

    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, 5, padding=2)
        self.norm = nn.BatchNorm1d(c_out)

    def forward(self, h, stall):
        h = torch.relu(self.norm(self.conv(h)))
        return self.tap(h, stall)  # expect: T5


def install_taps(model):
    def visit(m):
        if isinstance(m, ThrowBlock) and len(model.blocks) and m is model.blocks[0]:
            m.tap = _stall_tap
    model.apply(visit)
    return model


class WheelNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([ThrowBlock(2, 32), ThrowBlock(32, 32), ThrowBlock(32, 48)])
        self.head = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(48, len(STAGES)))

    def forward(self, trace):
        stall = torch.relu(-trace[:, 0, :8] - 0.9).amin(1).gt(0).float()
        h = trace
        for blk in self.blocks:
            h = blk(h, stall)
        return self.head(h)


def _inputs(n):
    return torch.randn(n, 2, 96) * 0.3


def _trigger(x):
    x = x.clone()
    x[:, 0, :8] = -1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = install_taps(WheelNet()).eval()
    reference = WheelNet().eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(3)
    probe = _trigger(_inputs(8))
    target = int(model(probe).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
