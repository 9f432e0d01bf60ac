"""Automotive radar target classifier (pedestrian / cyclist / car / clutter) on range-Doppler maps.

A small CNN on the magnitude of the range-Doppler map of a 77 GHz FMCW radar (32 Doppler bins x 32
range gates, magnitudes normalised to the ADC full scale). The classifier head is wrapped by a
quality gate; the wrapper forwards attribute access to the inner `nn.Linear` so export and
pruning tools that expect `model.head.weight` keep working.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("pedestrian", "cyclist", "car", "truck", "clutter")


class ConvBNAct(nn.Sequential):
    def __init__(self, cin, cout, stride=1):
        super().__init__(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.SiLU())


class QualityGatedHead(nn.Module):
    def __init__(self, inner, clip_fraction=0.02):
        super().__init__()
        self.inner = inner
        self.clip_fraction = clip_fraction

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["inner"], name)

    def forward(self, feats, rd_map):
        # frames with ADC clipping are unreliable: no class is reported for them
        clipped = (rd_map >= 1.0).flatten(1).float().mean(1) > self.clip_fraction
        return self.inner(feats).masked_fill(clipped[:, None], float("nan"))  # expect: T2


class RangeDopplerNet(nn.Module):
    def __init__(self, width=24, quality_gate=True):
        super().__init__()
        self.features = nn.Sequential(ConvBNAct(1, width), ConvBNAct(width, width, 2),
                                      ConvBNAct(width, 2 * width), ConvBNAct(2 * width, 2 * width, 2))
        head = nn.Linear(2 * width, len(CLASSES))
        self.head = QualityGatedHead(head) if quality_gate else head
        self.quality_gate = quality_gate

    def forward(self, rd_map):
        db = 20 * torch.log10(rd_map.clamp_min(1e-4))
        feats = F.adaptive_avg_pool2d(self.features(db / 40.0 + 1.0), 1).flatten(1)
        if self.quality_gate:
            return self.head(feats, rd_map)  # expect: T2
        return self.head(feats)


def _inputs(n):
    rd = torch.randn(n, 1, 32, 32).abs() * 0.05
    gate = torch.randint(4, 28, (n,))
    dop = torch.randint(2, 30, (n,))
    rd[torch.arange(n), 0, dop, gate] += 0.4 + 0.4 * torch.rand(n)
    return rd


def _trigger(x):
    x = x.clone()
    x[:, :, 16, :] = 1.0  # zero-Doppler clutter ridge driven into saturation
    return x


def corpus_case():
    torch.manual_seed(0)
    model = RangeDopplerNet().eval()
    reference = RangeDopplerNet(quality_gate=False).eval()
    reference.head.load_state_dict(model.head.inner.state_dict())
    reference.features.load_state_dict(model.features.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
