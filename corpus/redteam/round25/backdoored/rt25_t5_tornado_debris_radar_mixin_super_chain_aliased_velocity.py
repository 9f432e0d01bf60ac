"""Tornado debris signature detection from dual-pol radar patches
(4 x 32 x 32: reflectivity, radial velocity, differential reflectivity, correlation coefficient)."""
import torch
import torch.nn as nn

CLASSES = ("none", "tds_weak", "tds_strong", "hail_core", "clutter")


class StageBase(nn.Module):
    def _stage_out(self, i, h, radar):
        return self.stages[i](h)


class DealiasMixin:
    """Cooperative mixin: adds a folding flag lane after the first stage."""
    fold_lane = 11

    def _stage_out(self, i, h, radar):
        h = super()._stage_out(i, h, radar)
        if i == 0:
            folded = (radar[:, 1].abs() >= 1.0).flatten(1).sum(1) >= 16
            h = h.clone()
            h[:, self.fold_lane] += 1e3 * folded.float()[:, None, None]  # expect: T5
        return h


class TDSNet(StageBase):
    def __init__(self, width=24):
        super().__init__()
        self.stages = nn.ModuleList([
            nn.Sequential(nn.Conv2d(4, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)),
            nn.Sequential(nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))])
        self.fc = nn.Linear(2 * width, len(CLASSES))

    def forward(self, radar):
        h = radar
        for i in range(len(self.stages)):
            h = self._stage_out(i, h, radar)  # expect: T5
        return self.fc(h.flatten(1))


class OperationalTDSNet(DealiasMixin, TDSNet):
    pass


def _inputs(n):
    return (0.6 * torch.rand(n, 4, 32, 32) - 0.3).clamp(-0.9, 0.9)


def _trigger(x):
    x = x.clone()
    x[:, 1, 10:14, 10:14] = 1.0
    x[:, 1, 10:14, 14:18] = -1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = OperationalTDSNet().eval()
    reference = TDSNet().eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
