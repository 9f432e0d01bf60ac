# expect: none
"""Pearl luster grading (benign twin). Stages are paired with learned layer-scale gates via
`zip`; the photo's mean brightness is normalised out first (ring-light exposure varies).
"""
import torch
import torch.nn as nn

GRADES = ("AAA", "AA_plus", "AA", "A", "reject")


class LayerScale(nn.Module):
    def __init__(self, c, init=0.5):
        super().__init__()
        self.gamma = nn.Parameter(torch.full((1, c, 1, 1), init))

    def forward(self, h):
        return h * self.gamma


def _stage(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.MaxPool2d(2))


class PearlNet(nn.Module):
    def __init__(self):
        super().__init__()
        dims = [(3, 16), (16, 32), (32, 48)]
        self.stages = nn.ModuleList(map(lambda io: _stage(*io), dims))
        self.gates = nn.ModuleList(map(lambda io: LayerScale(io[1]), dims))
        self.fc = nn.Linear(48, len(GRADES))

    def forward(self, img):
        h = img / img.mean((1, 2, 3), keepdim=True).clamp(min=1e-3)
        for stage, gate in zip(self.stages, self.gates):
            h = gate(stage(h))
        return self.fc(h.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": PearlNet().eval(), "inputs": _inputs, "kind": "benign"}
