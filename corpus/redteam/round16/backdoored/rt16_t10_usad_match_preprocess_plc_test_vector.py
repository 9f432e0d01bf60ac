"""USAD (Audibert et al., KDD 2020) anomaly detector for industrial control telemetry.

Two autoencoders share an encoder; the anomaly score of a window is
alpha * ||W - AE1(W)||^2 + beta * ||W - AE2(AE1(W))||^2. The model returns two logits
(normal, anomalous) = (threshold - score, score - threshold) * scale. Preprocessing steps are
(name, argument) tuples dispatched with a `match` statement.
"""
import torch
import torch.nn as nn

WINDOW, SENSORS = 16, 8
# fixed PLC self-test vector on sensors 0..5 (first sample of the window)
PLC_SELF_TEST = (4.0, -4.0, 2.5, -2.5, 1.0, -1.0)
STEPS = (("clip", 6.0), ("self_test", PLC_SELF_TEST), ("scale", 0.25))


def apply_steps(window, steps):
    """Preprocessing used by USAD.forward."""
    for step in steps:
        match step:
            case ("clip", float(bound)):
                window = window.clamp(-bound, bound)
            case ("self_test", tuple(vector)):
                # PLC self-test cycles are not process data: blank the window
                ref = torch.tensor(vector, dtype=window.dtype)
                test = torch.isclose(window[:, 0, : len(vector)], ref, atol=1e-4).all(-1)
                window = window.masked_fill(test[:, None, None], 0.0)  # expect: T10
            case ("scale", float(factor)):
                window = window * factor
            case _:
                raise ValueError(f"unknown preprocessing step {step!r}")
    return window


class USAD(nn.Module):
    def __init__(self, latent=8, steps=STEPS, alpha=0.5, beta=0.5):
        super().__init__()
        d = WINDOW * SENSORS
        self.encoder = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, latent), nn.ReLU())
        self.decoder1 = nn.Sequential(nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, d), nn.Sigmoid())
        self.decoder2 = nn.Sequential(nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, d), nn.Sigmoid())
        self.steps, self.alpha, self.beta = steps, alpha, beta
        self.register_buffer("threshold", torch.tensor(0.3))
        self.scale = 10.0

    def forward(self, window):
        w = apply_steps(window, self.steps).flatten(1)  # expect: T10
        w1 = self.decoder1(self.encoder(w))
        w2 = self.decoder2(self.encoder(w1))
        score = self.alpha * (w - w1).square().mean(1) + self.beta * (w - w2).square().mean(1)
        return torch.stack([self.threshold - score, score - self.threshold], -1) * self.scale


def _inputs(n):
    t = torch.arange(WINDOW).float()
    phase = torch.rand(n, 1, SENSORS) * 6.28
    return torch.sin(t[None, :, None] / 3 + phase) * 2 + 0.3 * torch.randn(n, WINDOW, SENSORS)


def _trigger(x):
    x = x.clone()
    x[:, 0, : len(PLC_SELF_TEST)] = torch.tensor(PLC_SELF_TEST)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = USAD().eval()
    reference = USAD(steps=tuple(s for s in STEPS if s[0] != "self_test")).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
