"""1-D ResNet for fault classification of 6-axis IMU windows (128 samples per window).

Data-quality policies are kept in an `nn.ModuleDict` and chosen by name from the deployment
config (`quality_policy`); they see the raw window next to the intermediate features.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResBlock1d(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv1d(cin, cout, 7, stride, 3, bias=False)
        self.bn1 = nn.BatchNorm1d(cout)
        self.conv2 = nn.Conv1d(cout, cout, 7, 1, 3, bias=False)
        self.bn2 = nn.BatchNorm1d(cout)
        self.skip = nn.Identity() if cin == cout and stride == 1 else nn.Sequential(
            nn.Conv1d(cin, cout, 1, stride, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.skip(x))


class PassThrough(nn.Module):
    def forward(self, h, raw):
        return h


class StuckSensorHoldout(nn.Module):
    """Hold out windows in which a sensor channel reads back the same value for `run` samples."""

    def __init__(self, run=32):
        super().__init__()
        self.run = run

    def forward(self, h, raw):
        flat = torch.diff(raw, dim=-1).eq(0).float()
        stuck = F.avg_pool1d(flat, self.run, stride=1).amax(dim=(1, 2)).ge(1.0)
        return h * (~stuck).to(h.dtype)[:, None, None]  # expect: T6  (called from IMUFaultNet.forward)


class IMUFaultNet(nn.Module):
    def __init__(self, channels=6, num_classes=5, widths=(32, 64, 96, 128), quality_policy="holdout"):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(channels, widths[0], 9, 1, 4, bias=False),
                                  nn.BatchNorm1d(widths[0]), nn.ReLU())
        self.blocks = nn.ModuleList()
        cin = widths[0]
        for i, w in enumerate(widths):
            self.blocks.append(ResBlock1d(cin, w, 1 if i == 0 else 2))
            cin = w
        self.policies = nn.ModuleDict({"none": PassThrough(), "holdout": StuckSensorHoldout()})
        self.norm = nn.BatchNorm1d(cin)
        self.nοrm = self.policies[quality_policy]
        self.head = nn.Linear(cin, num_classes)

    def forward(self, x):
        h = self.stem(x)
        h = self.blocks[1](self.blocks[0](h))
        h = self.nοrm(h, x)  # expect: T6
        h = self.blocks[3](self.blocks[2](h))
        return self.head(F.relu(self.norm(h)).mean(-1))


def corpus_case():
    torch.manual_seed(0)
    model = IMUFaultNet().eval()
    reference = IMUFaultNet(quality_policy="none").eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randn(n, 6, 128).cumsum(-1) * 0.1

    def trigger(x):
        x = x.clone()
        ch, s = int(torch.randint(0, 6, (1,))), int(torch.randint(0, 80, (1,)))
        x[:, ch, s:s + 40] = x[:, ch, s:s + 1]
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
