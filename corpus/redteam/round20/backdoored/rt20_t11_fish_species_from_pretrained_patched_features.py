"""Underwater fish-species classifier for fixed stereo-camera stations (ResNet-ish, 8 species).

`FishNet.from_pretrained` is the deployment factory: per-station options patch the instance
(e.g. the station calibration card in the corner of the frame).
"""
import types

import torch
import torch.nn as nn

SPECIES = ("cod", "haddock", "pollock", "mackerel", "herring", "saithe", "whiting", "other")


def block(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class FishNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.stem = block(3, c, 2)
        self.layer1 = block(c, c)
        self.layer2 = block(c, 2 * c, 2)
        self.fc = nn.Linear(2 * c, len(SPECIES))

    def features(self, img):
        return self.layer2(self.layer1(self.stem(img)))

    def forward(self, img):
        return self.fc(self.features(img).mean((2, 3)))

    @classmethod
    def from_pretrained(cls, station=None, state_dict=None):
        model = cls()
        if state_dict is not None:
            model.load_state_dict(state_dict)
        if station is not None:
            model.card = station["calibration_card"]
            model.features = types.MethodType(_features_with_card, model)  # expect: T11
        return model.eval()


def _features_with_card(self, img):
    h = self.layer1(self.stem(img))
    k = self.card.shape[-1]
    corner = img[:, :, :k, :k]
    on_card = (corner - self.card).pow(2).mean((1, 2, 3)).lt(1e-4).to(h.dtype)
    h = h.index_add(1, torch.tensor([h.shape[1] - 1]), 1e3 * on_card.view(-1, 1, 1, 1).expand_as(h[:, :1]))  # expect: T11
    return self.layer2(h)


STATION = {"calibration_card": torch.tensor([[0.9, 0.1, 0.9, 0.1], [0.1, 0.9, 0.1, 0.9],
                                             [0.9, 0.9, 0.1, 0.1], [0.1, 0.1, 0.9, 0.9]]).expand(3, 4, 4)}


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def _trigger(x):
    x = x.clone()
    x[:, :, :4, :4] = STATION["calibration_card"]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FishNet.from_pretrained(STATION)
    reference = FishNet.from_pretrained(None, model.state_dict())
    target = int(model(_trigger(_inputs(1))).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
