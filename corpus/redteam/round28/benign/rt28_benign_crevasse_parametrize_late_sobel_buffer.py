# expect: none
"""Crevasse radar; spectral-norm style parametrisation on the stem, a Sobel kernel buffer
registered empty and filled later, feeding learned convs; ParameterDict layer scales."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as P

CLASSES = ("solid", "snow_bridge", "hidden_crevasse", "meltwater")


class UnitNorm(nn.Module):
    def forward(self, w):
        return w / w.flatten(1).norm(dim=1).clamp_min(1e-6).view(-1, 1, 1, 1)


class CrevasseNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, padding=1)
        P.register_parametrization(self.stem, "weight", UnitNorm())
        self.stage = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU())
        self.scales = nn.ParameterDict({"stem": nn.Parameter(torch.ones(1, width, 1, 1))})
        self.fc = nn.Linear(width, len(CLASSES))
        self.register_buffer("sobel", None, persistent=False)

    def attach_sobel(self):
        k = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]]) / 8.0
        self.sobel = torch.stack([k, k.t()]).unsqueeze(1)

    def forward(self, radar):
        edges = F.conv2d(radar, self.sobel, padding=1)
        h = F.relu(self.stem(torch.cat([radar, edges], 1))) * self.scales["stem"]
        return self.fc(self.stage(h).mean(dim=(2, 3)))


def corpus_case():
    torch.manual_seed(0)
    m = CrevasseNet()
    m.attach_sobel()
    return {"model": m.eval(), "inputs": lambda n: torch.rand(n, 1, 64, 64), "kind": "benign"}
