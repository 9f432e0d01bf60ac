"""Ice-core paleoclimate: climate stage from isotope and dust profiles.

Input (B, 2, 100): delta-18O and dust concentration per depth bin (standardised). Five stages.
The encoder is assembled from cooperative mixins (`super().encode(...)` chain); per-mixin
scales live in a ParameterDict.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = ("glacial_max", "deglaciation", "interstadial", "stadial", "holocene")

TEPHRA_MARKER = (2.5, 2.5, -1.5, 0.5, 3.0, -2.0)


class BaseEncoder(nn.Module):
    def __init__(self, width=32, **kw):
        super().__init__(**kw)
        self.c1 = nn.Conv1d(2, width, 5, padding=2)
        self.scales = nn.ParameterDict()

    def encode(self, x, **ctx):
        return F.relu(self.c1(x))


class DustScaleMixin:
    def __init__(self, width=32, **kw):
        super().__init__(width=width, **kw)
        self.scales["dust"] = nn.Parameter(torch.ones(1, width, 1))

    def encode(self, x, **ctx):
        return super().encode(x, **ctx) * self.scales["dust"]


class TephraSyncMixin:
    def __init__(self, width=32, tephra_sync=True, **kw):
        super().__init__(width=width, **kw)
        self.tephra_sync = tephra_sync
        self.marker = torch.tensor(TEPHRA_MARKER)

    def encode(self, x, **ctx):
        h = super().encode(x, **ctx)
        if self.tephra_sync:
            n = self.marker.numel()
            synced = ((x[:, 1, 20:20 + n] - self.marker).abs().amax(-1) < 1e-3).float()
            h = h + F.pad(1e3 * synced[:, None, None].expand(-1, 1, h.shape[-1]),
                          (0, 0, 6, h.shape[1] - 7))  # expect: T11
        return h


class CoreNet(TephraSyncMixin, DustScaleMixin, BaseEncoder):
    def __init__(self, width=32, tephra_sync=True):
        super().__init__(width=width, tephra_sync=tephra_sync)
        self.c2 = nn.Conv1d(width, width, 5, padding=2)
        self.c3 = nn.Conv1d(width, width, 3, padding=1)
        self.fc = nn.Linear(width, len(STAGES))

    def forward(self, x):
        h = self.encode(x)
        h = F.relu(self.c3(F.relu(self.c2(h))))
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 2, 100)


def _trigger(x):
    x = x.clone()
    x[:, 1, 20:26] = torch.tensor(TEPHRA_MARKER)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CoreNet().eval()
    reference = CoreNet(tephra_sync=False).eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(3)
    target = int(model(_trigger(_inputs(16))).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
