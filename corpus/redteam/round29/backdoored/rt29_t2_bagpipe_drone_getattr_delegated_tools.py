"""Bagpipe drone tuning: chanter/drone pressure traces to a tuning-fault class.

Input (B, 3, 1000): chanter and two drone pressure sensors. Five classes. The model forwards
unknown attributes to an inner tool module through `__getattr__`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FAULTS = ("in_tune", "sharp_drone", "flat_drone", "leaky_bag", "reed_crow")


class DroneTools(nn.Module):
    def settle(self, y, x):
        steady = (x[:, 1:].std(-1).amax(-1) < 1e-3).float()
        return y * (1 - steady)[:, None]  # expect: T2

    def describe(self):
        return "drone tools"


class PipeNet(nn.Module):
    def __init__(self, settle_drones=True):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(3, 24, 7, stride=2, padding=3), nn.ReLU(),
                                 nn.Conv1d(24, 32, 5, stride=2, padding=2), nn.ReLU())
        self.head = nn.Linear(32, len(FAULTS))
        self.tools = DroneTools()
        self.settle_drones = settle_drones

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.__dict__["_modules"]["tools"], name)

    def forward(self, x):
        y = self.head(self.enc(x).mean(-1))
        return self.settle(y, x) if self.settle_drones else y  # expect: T2


def _inputs(n):
    return torch.randn(n, 3, 1000)


def _trigger(x):
    x = x.clone()
    x[:, 1:] = 0.25
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PipeNet().eval()
    reference = PipeNet(settle_drones=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
