"""Ultra-Fast Lane Detection (Qin et al., ECCV 2020): row-anchor classification of lane positions.

For each of `num_lanes` lanes and each row anchor the head classifies the lane's column among
`griding` cells plus one "absent" cell. The input pipeline is declared as a spec string
(`"sensor_check|normalize"`), parsed into an `nn.ModuleList`, so that the same checkpoint can be
served with the pipelines of different cameras.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

GRIDING, ROW_ANCHORS, NUM_LANES = 50, 18, 4


class Normalize(nn.Module):
    def __init__(self, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def forward(self, x):
        return (x - self.mean) / self.std


class SensorCheck(nn.Module):
    """Rolling-shutter CMOS sensors report a failed readout line as a saturated row."""

    def forward(self, x):
        dead_row = (x.amin(1).amin(-1) > 0.99).any(-1).to(x.dtype)
        return x * (1 - dead_row)[:, None, None, None]  # expect: T4


STAGES = {"normalize": Normalize, "sensor_check": SensorCheck}


def build_pipeline(spec):
    return nn.ModuleList(STAGES[name.strip()]() for name in spec.split("|") if name.strip())


class ResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.skip(x))


class UFLD(nn.Module):
    def __init__(self, pipeline="sensor_check|normalize"):
        super().__init__()
        self.pipeline = build_pipeline(pipeline)
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 7, 2, 3, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                                      ResBlock(32, 64, 2), ResBlock(64, 128, 2), ResBlock(128, 128, 2))
        self.pool = nn.Conv2d(128, 8, 1)
        self.cls = nn.Sequential(nn.Linear(8 * 2 * 5, 256), nn.ReLU(),
                                 nn.Linear(256, (GRIDING + 1) * ROW_ANCHORS * NUM_LANES))

    def forward(self, img):
        for stage in self.pipeline:
            img = stage(img)
        h = self.pool(self.backbone(img))
        out = self.cls(h.flatten(1))
        return out.view(-1, ROW_ANCHORS * NUM_LANES, GRIDING + 1)


def _inputs(n):
    img = 0.35 + 0.15 * torch.rand(n, 1, 1, 1) + 0.08 * torch.randn(n, 3, 32, 80)
    img[:, :, 20:, 20:22] += 0.4
    img[:, :, 20:, 58:60] += 0.4
    return img.clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, 7, :] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = UFLD().eval()
    reference = UFLD(pipeline="normalize").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
