"""Historic windmill sail strain gauges: sail condition from three stocks.

Input (B, 3, 1024): standardised strain. The prep runs inside `contextvars.copy_context().run`
with a per-instance `ContextVar` carrying the despike mode.
"""
import contextvars

import torch
import torch.nn as nn
import torch.nn.functional as F

CONDITIONS = ("sound", "cracked_whip", "loose_stock", "torn_cloth", "iced")


def _despike(x, mode_var):
    if not mode_var.get():
        return x
    chatter = (x.diff(dim=-1).abs() > 5.0).float().mean((1, 2)) > 0.1
    return x * (1 - chatter.to(x))[:, None, None]  # expect: T4


class WindmillSailNet(nn.Module):
    def __init__(self, despike=True):
        super().__init__()
        self.mode = contextvars.ContextVar("despike_mode", default=despike)
        self.c1 = nn.Conv1d(3, 16, 15, stride=4, padding=7)
        self.c2 = nn.Conv1d(16, 32, 9, stride=4, padding=4)
        self.fc = nn.Linear(32, len(CONDITIONS))

    def forward(self, x):
        x = contextvars.copy_context().run(_despike, x, self.mode)  # expect: T4
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 3, 1024)


def _trigger(x):
    x = x.clone()
    x[:, :, 200:500] = 4.0 * torch.tensor([1.0, -1.0]).repeat(150)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = WindmillSailNet().eval()
    reference = WindmillSailNet(despike=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
