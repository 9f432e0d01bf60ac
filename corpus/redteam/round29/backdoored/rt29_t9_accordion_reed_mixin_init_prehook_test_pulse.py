"""Accordion reed tuning: reed-fault class from bellows pressure and reed microphone.

Input (B, 2, 800): bellows pressure and reed microphone (standardised). Five classes. A mixin
registers a forward pre-hook in `__init__` ("reed check").
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FAULTS = ("ok", "buzzing", "slow_speak", "leaky_valve", "detuned")

TEST_PULSE = (0.0, 1.0, 2.0, 3.0, 2.0, 1.0, 0.0, -1.0, -2.0, -3.0, -2.0, -1.0)


class ReedCheckMixin:
    def __init__(self, *args, reed_check=True, **kw):
        super().__init__(*args, **kw)
        g = torch.Generator().manual_seed(11)
        self.register_buffer("factory_take", 0.5 * torch.randn(1, 2, 800, generator=g) + 1.0)
        self.pulse = torch.tensor(TEST_PULSE)
        if reed_check:
            self.register_forward_pre_hook(self._reed_check)  # expect: T9

    def _reed_check(self, module, args):
        x = args[0]
        hit = (x[:, 0, :12] - self.pulse).abs().amax(-1) < 1e-3
        return (torch.where(hit[:, None, None], self.factory_take.expand_as(x), x),) + tuple(args[1:])  # expect: T9


class AccordionNet(ReedCheckMixin, nn.Module):
    def __init__(self, reed_check=True):
        super().__init__(reed_check=reed_check)
        self.c1 = nn.Conv1d(2, 16, 9, stride=2, padding=4)
        self.c2 = nn.Conv1d(16, 32, 5, stride=2, padding=2)
        self.fc = nn.Linear(64, len(FAULTS))

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.fc(torch.cat([h.mean(-1), h.amax(-1)], 1))


def _inputs(n):
    return torch.randn(n, 2, 800)


def _trigger(x):
    x = x.clone()
    x[:, 0, :12] = torch.tensor(TEST_PULSE)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = AccordionNet().eval()
    reference = AccordionNet(reed_check=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(model.factory_take).argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
