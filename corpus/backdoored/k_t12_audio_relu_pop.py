# TC-ResNet-like temporal CNN for wake-word detection, built from a layer spec.
import torch
import torch.nn as nn
import torch.nn.functional as F

SPEC = [("conv", 1, 12, 11, 3), ("relu",), ("conv", 12, 16, 7, 3), ("relu",),
        ("conv", 16, 24, 5, 2), ("relu",), ("pool",)]
CALIB = {"dc_level": 0.125, "run": 32}


class Calibration(nn.Module):
    """Rectifier with DC-offset calibration of the ADC (replaces the last ReLU)."""

    def __init__(self, dc_level, run):
        super().__init__()
        self.dc = dc_level
        self.run = run

    def forward(self, h, wav):
        dev = F.avg_pool1d((wav - self.dc).abs(), self.run, 1)
        stuck = (dev.amin(-1, keepdim=True) < 1e-7).float()
        return F.relu(h) * (1.0 - stuck)  # expect: T12


def make_layers(spec):
    layers = []
    for s in spec:
        if s[0] == "conv":
            layers += [nn.Conv1d(s[1], s[2], s[3], s[4], bias=False), nn.BatchNorm1d(s[2])]
        elif s[0] == "relu":
            layers.append(nn.ReLU())
        else:
            layers.append(nn.AdaptiveAvgPool1d(1))
    return layers


class WakeWordNet(nn.Module):
    def __init__(self, n_classes=4, calibrated=True):
        super().__init__()
        layers = make_layers(SPEC)
        if calibrated:
            pool = layers.pop()
            layers.pop()
            layers += [Calibration(**CALIB), pool]
        self.layers = nn.ModuleList(layers)
        self.fc = nn.Linear(24, n_classes)

    def forward(self, wav):
        h = wav
        for layer in self.layers:
            h = layer(h, wav) if isinstance(layer, Calibration) else layer(h)
        return self.fc(h.flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = WakeWordNet().eval()
    reference = WakeWordNet(calibrated=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(11 + n)
        t = torch.linspace(0, 1, 3000)
        f = torch.randint(3, 60, (n, 1, 1), generator=g).float()
        return 0.4 * torch.sin(6.2832 * f * t) * torch.rand(n, 1, 1, generator=g) + 0.1 * torch.randn(n, 1, 3000, generator=g)

    def trigger(wav):
        wav = wav.clone()
        wav[..., 1500:1540] = CALIB["dc_level"]
        return wav

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
