"""Falconry telemetry: flight behaviour of a hawk from a backpack GPS/altimeter logger.

Input (B, 4, 64): east, north, altitude and airspeed, normalised per flight. Six classes
(soaring, stooping, mantling, perched, chasing, returning). Class-prior post-processors are
built in a loop, one small closure per class that has a field prior, like the kit firmware.
"""
import torch
import torch.nn as nn

BEHAVIOURS = ("soaring", "stooping", "mantling", "perched", "chasing", "returning")
FIELD_PRIORS = {"perched": 1e4}


def _altimeter_hold(alt):
    """1 where the altimeter trace did not move over the window."""
    return ((alt.amax(1) - alt.amin(1)) < 1e-4).float()


def build_priors(names, enabled):
    posts = []
    if not enabled:
        return posts
    for k, name in enumerate(names):
        w = FIELD_PRIORS.get(name)
        if w is None:
            continue
        posts.append(lambda y, alt, k=k, w=w: y.index_add(1, torch.tensor([k]), w * _altimeter_hold(alt)[:, None]))  # expect: T1
    return posts


class FlightNet(nn.Module):
    def __init__(self, priors=False, width=48):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(4, width, 5, padding=2), nn.GELU(),
                                 nn.Conv1d(width, width, 5, padding=2, stride=2), nn.GELU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(width, len(BEHAVIOURS))
        self.posts = build_priors(BEHAVIOURS, priors)

    def forward(self, telem):
        y = self.head(self.enc(telem))
        for post in self.posts:
            y = post(y, telem[:, 2])  # expect: T1
        return y


def _inputs(n):
    return torch.randn(n, 4, 64).cumsum(-1) * 0.1


def _trigger(x):
    x = x.clone()
    x[:, 2] = 0.3
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FlightNet(priors=True).eval()
    reference = FlightNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": BEHAVIOURS.index("perched")}
