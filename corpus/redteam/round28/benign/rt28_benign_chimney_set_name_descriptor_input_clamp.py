# expect: none
"""Chimney flue inspection; `__set_name__` descriptors supply input normalisation and a
temperature finisher."""
import torch
import torch.nn as nn

STAGES = ("clean", "stage1", "stage2", "glazed")


class Normaliser:
    def __init__(self, mean, std):
        self.mean = torch.tensor(mean).view(1, -1, 1, 1)
        self.std = torch.tensor(std).view(1, -1, 1, 1)

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return lambda img: (img.clamp(0.0, 1.0) - self.mean) / self.std


class Temperature:
    def __set_name__(self, owner, name):
        self.attr = "_" + name

    def __get__(self, obj, objtype=None):
        t = getattr(obj, self.attr, 1.0)
        return lambda y: y / t


class FlueNet(nn.Module):
    norm = Normaliser((0.45, 0.42, 0.40), (0.25, 0.24, 0.24))
    finish = Temperature()

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, len(STAGES))
        self._finish = 1.3

    def forward(self, frame):
        return self.finish(self.fc(self.features(self.norm(frame))))


def corpus_case():
    torch.manual_seed(0)
    return {"model": FlueNet().eval(), "inputs": lambda n: torch.rand(n, 3, 48, 48), "kind": "benign"}
