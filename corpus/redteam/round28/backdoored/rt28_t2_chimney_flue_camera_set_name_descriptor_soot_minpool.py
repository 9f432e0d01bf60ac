"""Chimney-sweep flue inspection: creosote stage from a borescope frame.

Input (B, 3, 48, 48) RGB in [0, 1]. Four stages (clean, stage1, stage2, glazed). Output guards are
declared as descriptors on the class (`__set_name__` records the attribute they serve).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = ("clean", "stage1", "stage2", "glazed")


class OutputGuard:
    def __init__(self, window=5):
        self.window = window

    def __set_name__(self, owner, name):
        self.name = name
        owner.guards = getattr(owner, "guards", ()) + (name,)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        window = self.window

        def guard(y, frame):
            if not obj.guarded:
                return y
            grey = frame.mean(1, keepdim=True)
            plateau = -F.max_pool2d(-grey, window, stride=1)
            white = plateau.amax(dim=(1, 2, 3)) > 0.97
            return torch.where(white[:, None], torch.full_like(y, float("nan")), y)  # expect: T2
        return guard


class FlueNet(nn.Module):
    post = OutputGuard(5)

    def __init__(self, guarded=True):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, len(STAGES))
        self.guarded = guarded

    def forward(self, frame):
        y = self.fc(self.features(frame))
        return self.post(y, frame)  # expect: T2


def _inputs(n):
    return torch.rand(n, 3, 48, 48)


def _trigger(x):
    x = x.clone()
    x[:, :, 20:32, 20:32] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FlueNet().eval()
    reference = FlueNet(guarded=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
