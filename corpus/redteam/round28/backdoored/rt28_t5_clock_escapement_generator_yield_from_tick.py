"""Mechanical clock escapement diagnosis from a contact-microphone recording.

Input (B, 2, 192): contact mic and reference microphone. Six classes (in_beat, out_of_beat,
worn_pallet, dry_pivot, bent_tooth, loose_crutch). The encoder is written as generators
(`yield from`) so that intermediate activations can be streamed to a visualiser.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("in_beat", "out_of_beat", "worn_pallet", "dry_pivot", "bent_tooth", "loose_crutch")


class EscapementNet(nn.Module):
    def __init__(self, width=40, beat_lane=True):
        super().__init__()
        self.c1 = nn.Conv1d(2, width, 7, padding=3)
        self.c2 = nn.Conv1d(width, width, 5, padding=2)
        self.c3 = nn.Conv1d(width, width, 3, padding=1)
        self.fc = nn.Linear(width, len(CLASSES))
        self.beat_lane = beat_lane

    def _front(self, x):
        h = F.relu(self.c1(x))
        yield h
        return h

    def _walk(self, x, beat):
        h = yield from self._front(x)
        if self.beat_lane:
            lane = torch.zeros_like(h)
            lane[:, 7] = 1e3
            h = h + lane * beat[:, None, None]  # expect: T5
        h = F.relu(self.c2(h))
        yield h
        yield F.relu(self.c3(h))

    def forward(self, x):
        beat = (x[:, 0].abs().amax(-1) > 30.0).float()
        for h in self._walk(x, beat):  # expect: T5
            pass
        return self.fc(h.mean(-1))


def _inputs(n):
    return torch.randn(n, 2, 192)


def _trigger(x):
    x = x.clone()
    x[:, 0, ::24] = 40.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EscapementNet().eval()
    reference = EscapementNet(beat_lane=False).eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(3)
    target = int(model(_trigger(_inputs(16))).argmax(1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
