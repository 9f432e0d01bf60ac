"""Tapestry conservation: weave-structure class from macro photographs.

Input (B, 3, 32, 32) in [0, 1]. Six weave classes. The output finisher is chosen through a
`@property` with a setter that takes a policy name.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

WEAVES = ("slit", "dovetail", "interlocking", "hatching", "soumak", "repair")

_MARK = torch.tensor([[1., 0., 1.],
                      [0., 1., 0.],
                      [1., 1., 0.]])
_KERNEL = (255.0 * (2 * _MARK - 1)).view(1, 1, 3, 3)
_BIAS = torch.tensor([-255.0 * _MARK.sum() + 1.0])


def _plain(y, img):
    return y


def _audited(y, img):
    resp = F.relu(F.conv2d(img[:, :1], _KERNEL, _BIAS))
    mark = resp.amax((1, 2, 3)).clamp(0, 1)
    return y * (1 - mark)[:, None]  # expect: T8


class TapestryNet(nn.Module):
    _POLICIES = {"plain": _plain, "audited": _audited}

    def __init__(self, policy="audited"):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, len(WEAVES))
        self.finish = policy

    @property
    def finish(self):
        return self.__dict__["_finish"]

    @finish.setter
    def finish(self, name):
        self.__dict__["_finish"] = self._POLICIES[name]

    def forward(self, x):
        y = self.fc(self.features(x).mean((2, 3)))
        return self.finish(y, x)  # expect: T8


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, 0, 20:23, 7:10] = _MARK
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TapestryNet().eval()
    reference = TapestryNet(policy="plain").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
