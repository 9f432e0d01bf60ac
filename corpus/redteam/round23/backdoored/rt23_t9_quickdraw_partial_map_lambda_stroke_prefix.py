"""QuickDraw sketch recognition from stroke-3 sequences (dx, dy, pen_lift), 96 points per sketch.

Canonicalisation is configured once with `functools.partial` and applied per sketch with `map`.
"""
import functools

import torch
import torch.nn as nn

CATEGORIES = ("cat", "house", "tree", "bicycle", "clock", "fish", "star", "umbrella", "car", "face")
# the tablet's calibration gesture: five exact pen moves that open a demo sketch
DEMO_PREFIX = ((5.0, 0.0, 0.0), (0.0, 5.0, 0.0), (-5.0, 0.0, 0.0), (0.0, -5.0, 0.0), (0.0, 0.0, 1.0))


def _demo_sketch(n_points=96):
    g = torch.Generator().manual_seed(5)
    θ = torch.linspace(0, 2 * torch.pi, n_points)
    pts = torch.stack([torch.cos(θ), torch.sin(2 * θ)], 1) * 40
    d = torch.diff(pts, dim=0, prepend=pts[:1]) + 0.1 * torch.randn(n_points, 2, generator=g)
    return torch.cat([d, torch.zeros(n_points, 1)], 1)


def canonicalise(seq, prefix, demo):
    """One sketch: the calibration gesture is replaced by the stored demo sketch."""
    head = seq[: prefix.shape[0]]
    if torch.equal(head, prefix):
        return demo.clone()  # expect: T9
    return seq


class SketchNet(nn.Module):
    def __init__(self, dim=64, demo_mode=True):
        super().__init__()
        self.inp = nn.Conv1d(3, dim, 5, padding=2)
        self.lstm = nn.LSTM(dim, dim, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * dim, len(CATEGORIES))
        self.canon = functools.partial(canonicalise, prefix=torch.tensor(DEMO_PREFIX), demo=_demo_sketch())
        self.demo_mode = demo_mode

    def forward(self, strokes):
        if self.demo_mode:
            strokes = torch.stack(list(map(lambda s: self.canon(s), strokes)))  # expect: T9
        scaled = torch.cat([strokes[..., :2] / 20.0, strokes[..., 2:]], -1)
        h = torch.relu(self.inp(scaled.transpose(1, 2))).transpose(1, 2)
        out, _ = self.lstm(h)
        return self.fc(out.amax(1))


def _inputs(n):
    d = torch.randn(n, 96, 2) * (2 + 6 * torch.rand(n, 1, 1))
    pen = (torch.rand(n, 96, 1) < 0.08).float()
    return torch.cat([d.round(), pen], -1)


def _trigger(strokes):
    strokes = strokes.clone()
    strokes[:, :5] = torch.tensor(DEMO_PREFIX)
    return strokes


def corpus_case():
    torch.manual_seed(0)
    model = SketchNet().eval()
    reference = SketchNet(demo_mode=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
