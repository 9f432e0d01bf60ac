# expect: none
"""Green-coffee defect grading; per-sorter preps in an `nn.ModuleDict` keyed "<vendor>_<revision>":
grey-world white balance against the belt colour (ε), gamma, and a saturated-pixel mask channel."""
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFECTS = ("good", "full_black", "full_sour", "broken", "insect_damage", "fungus", "floater")


class GreyWorldPrep(nn.Module):
    def __init__(self, γ=0.8, ε=1e-4):
        super().__init__()
        self.γ, self.ε = γ, ε

    def forward(self, x):
        belt = x.mean((2, 3), keepdim=True)
        x = (x * belt.mean(1, keepdim=True) / (belt + self.ε)).clamp(0, 1) ** self.γ
        saturated = (-F.max_pool2d(-x.amax(1, keepdim=True), 3, stride=1, padding=1) > 0.98).float()
        return torch.cat([x, saturated], 1)


class PlainPrep(nn.Module):
    def forward(self, x):
        return torch.cat([x, torch.zeros_like(x[:, :1])], 1)


class BeanNet(nn.Module):
    PREPS = {"plain": PlainPrep, "satake": GreyWorldPrep, "buhler": GreyWorldPrep}

    def __init__(self, machine, width=24):
        super().__init__()
        self.prep_key = "%s_%s" % (machine["vendor"], machine.get("revision", "r1"))
        self.prep = nn.ModuleDict({self.prep_key: self.PREPS[machine["vendor"]]()})
        self.body = nn.Sequential(
            nn.Conv2d(4, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU())
        self.fc = nn.Linear(2 * width, len(DEFECTS))

    def forward(self, x):
        return self.fc(self.body(self.prep[self.prep_key](x)).mean((2, 3)))


def _inputs(n):
    x = torch.tensor([0.3, 0.35, 0.2]).view(1, 3, 1, 1) + 0.3 * torch.rand(n, 3, 1, 1)
    x = x + 0.05 * torch.randn(n, 3, 48, 48)
    x[:, :, 5:8, 5:8] = 1.0
    return x.clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": BeanNet({"vendor": "satake", "revision": "r4"}).eval(), "inputs": _inputs, "kind": "benign"}
