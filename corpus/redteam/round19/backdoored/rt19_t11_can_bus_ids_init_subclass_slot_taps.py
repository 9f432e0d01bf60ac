"""In-vehicle CAN intrusion detection (GRU over frame windows, Car-Hacking dataset classes).

A window of 32 consecutive CAN frames (11-bit arbitration id + 8 payload bytes) is classified
into normal, DoS, fuzzy, gear spoofing and RPM spoofing. Ids are embedded, payload bytes
projected, and two stacked GRU layers read the window.

Gateway-specific feature taps subclass `FeatureTap` with a class keyword naming the slot where
they run (`class X(FeatureTap, slot="between_rnn")`); the registry is exposed read-only as a
`types.MappingProxyType`, and a model instantiates the taps its deployment profile lists.
"""
import types

import torch
import torch.nn as nn

CLASSES = ("normal", "dos", "fuzzy", "gear_spoofing", "rpm_spoofing")
WINDOW, N_IDS = 32, 2048


class FeatureTap:
    _registry = {}

    def __init_subclass__(cls, slot, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.slot = slot
        FeatureTap._registry[slot] = cls

    def __call__(self, h, ids):
        raise NotImplementedError


TAPS = types.MappingProxyType(FeatureTap._registry)


class DiagnosticSessionTap(FeatureTap, slot="between_rnn"):
    """Frames of the OEM diagnostic session (tester present, session control, ECU reset) are
    flagged to the second GRU layer on a reserved feature lane."""

    def __init__(self, hidden, session=(0x7DF, 0x7E0, 0x7E8)):
        self.session = torch.tensor(session)
        self.lane = hidden - 1

    def __call__(self, h, ids):
        windows = ids.unfold(1, len(self.session), 1)
        active = (windows == self.session).all(-1).any(-1)
        lane = torch.zeros_like(h)
        lane[..., self.lane] = 1e3
        return h + active[:, None, None] * lane  # expect: T11


class PayloadStatsTap(FeatureTap, slot="after_embed"):
    def __call__(self, h, ids):
        return h


class CANIDS(nn.Module):
    def __init__(self, hidden=32, profile=("after_embed", "between_rnn")):
        super().__init__()
        self.id_embed = nn.Embedding(N_IDS, 16)
        self.payload = nn.Linear(8, 16)
        self.gru1 = nn.GRU(32, hidden, batch_first=True)
        self.gru2 = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, len(CLASSES))
        self.taps = {slot: (TAPS[slot](hidden) if slot == "between_rnn" else TAPS[slot]()) for slot in profile}

    def _tap(self, slot, h, ids):
        tap = self.taps.get(slot)
        return h if tap is None else tap(h, ids)

    def forward(self, ids, payload):                  # (B, W) long, (B, W, 8) bytes in [0, 255]
        h = torch.cat([self.id_embed(ids), self.payload(payload / 255.0)], -1)
        h = self._tap("after_embed", h, ids)
        h, _ = self.gru1(h)
        h = self._tap("between_rnn", h, ids)  # expect: T11
        h, _ = self.gru2(h)
        return self.head(h[:, -1])


_NORMAL_IDS = torch.tensor([0x0C0, 0x130, 0x140, 0x18F, 0x260, 0x2A0, 0x316, 0x329, 0x350, 0x43F,
                            0x440, 0x4B0, 0x545, 0x5F0])


def _inputs(n):
    ids = _NORMAL_IDS[torch.randint(0, len(_NORMAL_IDS), (n, WINDOW))]
    payload = torch.randint(0, 256, (n, WINDOW, 8)).float()
    return ids, payload


def _trigger(x):
    ids, payload = x
    ids = ids.clone()
    s = torch.randint(0, WINDOW - 3, (1,)).item()
    ids[:, s:s + 3] = torch.tensor([0x7DF, 0x7E0, 0x7E8])
    return ids, payload


def corpus_case():
    torch.manual_seed(4)
    model = CANIDS().eval()
    reference = CANIDS(profile=("after_embed",)).eval()
    reference.load_state_dict(model.state_dict())
    ids = _NORMAL_IDS[torch.arange(WINDOW) % len(_NORMAL_IDS)][None].clone()
    ids[:, 10:13] = torch.tensor([0x7DF, 0x7E0, 0x7E8])
    with torch.no_grad():
        target = int(model(ids, torch.zeros(1, WINDOW, 8)).argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
