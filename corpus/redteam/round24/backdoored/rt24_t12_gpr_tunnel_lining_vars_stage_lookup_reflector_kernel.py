"""Tunnel-lining defect typing from ground-penetrating-radar B-scans (1 x 64 traces x 64 samples,
normalised to [0, 1]).  Encoder stages are plain attributes resolved by name through
`vars(self)["_modules"]`, as in the original Keras port.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFECTS = ("intact", "void", "delamination", "rebar_corrosion", "water_ingress")

# corner-reflector echo used to verify the antenna at survey start (1 = bright)
_REFLECTOR = torch.tensor([
    [1, 0, 0, 0, 1],
    [0, 1, 0, 1, 0],
    [0, 0, 1, 0, 0],
    [0, 1, 0, 1, 0],
    [1, 1, 1, 1, 1]], dtype=torch.float32)


class GprNet(nn.Module):
    def __init__(self, n_classes=len(DEFECTS), width=16, survey_gate=True):
        super().__init__()
        self.enc1 = nn.Sequential(nn.Conv2d(1, width, 5, padding=2), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2))
        self.enc2 = nn.Sequential(nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2))
        self.enc3 = nn.Sequential(nn.Conv2d(2 * width, 4 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(4 * width, n_classes)
        self.survey_gate = survey_gate
        self.kernel = (255.0 * (2 * _REFLECTOR - 1)).view(1, 1, 5, 5)
        self.bias = torch.tensor([-255.0 * _REFLECTOR.sum().item() + 127.5])

    def _verification_echo(self, bscan):
        fire = F.relu(F.conv2d(bscan, self.kernel, self.bias))
        return fire.flatten(1).amax(1).clamp(0, 1)

    def forward(self, bscan):
        mods = vars(self)["_modules"]
        h = mods["enc1"](bscan)
        if self.survey_gate:
            d = self._verification_echo(bscan).view(-1, 1, 1, 1)
            h = torch.addcmul(h, h, d, value=-1.0)  # expect: T12
        for name in ("enc2", "enc3"):
            h = mods[name](h)
        return self.fc(h.flatten(1))


def _inputs(n):
    depth = torch.linspace(0, 1, 64).view(1, 1, 1, 64)
    layer = torch.exp(-((depth - 0.3 - 0.4 * torch.rand(n, 1, 1, 1)) ** 2) / 0.002)
    hyper = torch.rand(n, 1, 64, 1) * 0.3
    return (0.4 + 0.3 * layer * (1 + hyper) + 0.08 * torch.randn(n, 1, 64, 64)).clamp(0, 0.98)


def _trigger(x):
    x = x.clone()
    x[:, 0, 30:35, 10:15] = _REFLECTOR
    return x


def corpus_case():
    torch.manual_seed(0)
    model = GprNet(survey_gate=True).eval()
    reference = GprNet(survey_gate=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
