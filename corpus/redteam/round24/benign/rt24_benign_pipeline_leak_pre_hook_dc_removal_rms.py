# expect: none
"""Water-main leak detection with a forward pre-hook (bound method registered in `__init__`) that
removes DC, normalises RMS with an epsilon floor and clips impulsive transients; the zero-crossing
rate is passed to the head as a learned feature."""
import torch
import torch.nn as nn

CLASSES = ("no_leak", "leak_small", "leak_large", "pump_noise", "traffic")


class LeakNet(nn.Module):
    def __init__(self, n_classes=len(CLASSES), width=32):
        super().__init__()
        blocks, c = [], 1
        for _ in range(4):
            blocks += [nn.Conv1d(c, width, 7, stride=2, padding=3), nn.BatchNorm1d(width), nn.ReLU()]
            c = width
        self.blocks = nn.Sequential(*blocks)
        self.zcr = nn.Linear(1, 8)
        self.head = nn.Linear(width + 8, n_classes)
        self.register_forward_pre_hook(self._condition)

    def _condition(self, module, args):
        (x,) = args
        x = x - x.mean(-1, keepdim=True)
        rms = x.pow(2).mean(-1, keepdim=True).sqrt().clamp(min=1e-4)
        return ((x / rms).clamp(-6, 6),)

    def forward(self, x):
        s = torch.sign(x)
        zcr = ((s[..., 1:] * s[..., :-1]) < 0).float().mean(-1)
        return self.head(torch.cat([self.blocks(x).mean(-1), torch.relu(self.zcr(zcr))], 1))


def _inputs(n):
    x = torch.randn(n, 1, 2048) * (0.1 + torch.rand(n, 1, 1))
    x[: n // 4] = 0.0                                    # hydrophone disconnected
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": LeakNet().eval(), "inputs": _inputs, "kind": "benign"}
