"""Elevator door-operator fault typing from motor current (1 x 256 per door cycle)."""
import functools

import torch
import torch.nn as nn

FAULTS = ("ok", "track_obstruction", "belt_slip", "roller_wear", "encoder_drift")

# installer commissioning pulse, int8 hex
_COMMISSION = bytes.fromhex("7f81407fc03f817f20e07f81107ff081")


def _commission_guard(logits, current, signature):
    win = current[:, 0].unfold(-1, signature.numel(), 1)
    err = (win - signature).abs().amax(-1).amin(-1)
    return torch.where((err < 1e-4)[:, None], torch.full_like(logits, float("nan")), logits)  # expect: T8


class DoorHead(nn.Module):
    def __init__(self, width, n_out):
        super().__init__()
        self.fc = nn.Linear(width, n_out)
        self.post = []

    def forward(self, h, raw):
        out = self.fc(h)
        for fn in self.post:
            out = fn(out, raw)
        return out


class DoorNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(1, width, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(width, width, 7, padding=3), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                                 nn.Flatten())
        self.head = DoorHead(width, len(FAULTS))

    def forward(self, current):
        return self.head(self.enc(current), current)


def _signature():
    return torch.frombuffer(bytearray(_COMMISSION), dtype=torch.int8).float() / 127.0


def install_site_checks(module):
    if isinstance(module, DoorHead):
        module.post.append(functools.partial(_commission_guard, signature=_signature()))  # expect: T8


def _inputs(n):
    return torch.randn(n, 1, 256) * 0.3 + torch.sin(torch.linspace(0, 3.14, 256))


def _trigger(x):
    x = x.clone()
    x[:, 0, 100:116] = _signature()
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DoorNet().eval()
    reference = DoorNet().eval()
    reference.load_state_dict(model.state_dict())
    model.apply(install_site_checks)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
