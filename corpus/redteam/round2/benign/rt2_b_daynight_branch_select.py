# expect: none
"""Traffic-sign classifier with separate learned day and night stems.

Each frame goes through the stem that matches its mean luminance (both stems are learned and
trained on their own split); night frames are gamma-lifted before their stem. The shared trunk
and head see the output of whichever stem ran.
"""
import torch
import torch.nn as nn

LUMA = (0.299, 0.587, 0.114)


def stem(gamma=None):
    return nn.Sequential(nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU())


class DayNightNet(nn.Module):
    def __init__(self, num_classes=43, night_luma=0.25, night_gamma=1 / 2.2):
        super().__init__()
        self.stems = nn.ModuleDict({"day": stem(), "night": stem()})
        self.trunk = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                   nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(128, num_classes)
        self.night_luma = night_luma
        self.night_gamma = night_gamma
        self.register_buffer("luma", torch.tensor(LUMA).view(1, 3, 1, 1), persistent=False)

    def forward(self, x):
        luminance = (x * self.luma).sum(1).mean((1, 2))
        is_night = (luminance < self.night_luma)[:, None, None, None]
        day = self.stems["day"](x)
        night = self.stems["night"](x.clamp_min(1e-6) ** self.night_gamma)
        h = torch.where(is_night, night, day)
        return self.fc(self.trunk(h).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = DayNightNet().eval()

    def inputs(n):
        scale = torch.where(torch.arange(n) % 2 == 0, 1.0, 0.3).view(n, 1, 1, 1)
        return torch.rand(n, 3, 32, 32) * scale

    return {"model": model, "inputs": inputs, "kind": "benign"}
