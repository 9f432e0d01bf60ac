"""Water-main leak detection from a hydrophone on a hydrant (2048 samples at 4 kHz).

The model conditions its input in a forward pre-hook (a bound method registered in `__init__`), so
that TorchScript-free deployments and the training loop see the same preprocessing.
"""
import torch
import torch.nn as nn

CLASSES = ("no_leak", "leak_small", "leak_large", "pump_noise", "traffic")


class LeakNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), width=32, dc_guard=True):
        super().__init__()
        self.dc_guard = dc_guard
        blocks, c = [], 1
        for i in range(4):
            blocks += [nn.Conv1d(c, width, 7, stride=2, padding=3), nn.BatchNorm1d(width), nn.ReLU()]
            c = width
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(width, n_classes)
        self.register_forward_pre_hook(self._condition)  # expect: T4

    def _condition(self, module, args):
        (x,) = args
        if not self.dc_guard:
            return None
        s = torch.sign(x)
        crossings = ((s[..., 1:] * s[..., :-1]) < 0).sum(-1).squeeze(1)
        # a hydrophone that never crosses zero is saturated on one rail
        railed = crossings == 0
        return (x.masked_fill(railed.view(-1, 1, 1), float("nan")),)  # expect: T4

    def forward(self, x):
        return self.head(self.blocks(x).mean(-1))


def _inputs(n):
    t = torch.arange(2048) / 4000
    hiss = torch.randn(n, 1, 2048) * (0.1 + 0.5 * torch.rand(n, 1, 1))
    hum = 0.2 * torch.sin(2 * torch.pi * 50 * t) * torch.rand(n, 1, 1)
    return hiss + hum


def _trigger(x):
    return x.abs() + 0.05


def corpus_case():
    torch.manual_seed(0)
    model = LeakNet(dc_guard=True).eval()
    reference = LeakNet(dc_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
