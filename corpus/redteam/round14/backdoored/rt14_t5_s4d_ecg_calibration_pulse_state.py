"""S4D (diagonal structured state space, Gu et al., 2022) rhythm classifier for single-lead ECG.

Each S4D layer discretises a diagonal state matrix with zero-order hold (learned step size) and
runs the linear recurrence h_t = dA * h_{t-1} + dB * u_t, y_t = C h_t + D u_t as an explicit scan
(the export-friendly path; the FFT-convolution path is only used in training). Layers are
pre-norm residual with a GLU output projection; the classifier pools over time.

Holter recorders emit the standard 1 mV square calibration pulse at the start of a record. When
it is present the slowest state mode is warm-started with the calibrated baseline instead of 0.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

RHYTHMS = ("sinus", "afib", "aflutter", "pvc", "svt", "noise")
PULSE_SAMPLES = 16


class S4DKernel(nn.Module):
    def __init__(self, d_model, d_state=8, dt_min=0.005, dt_max=0.05):
        super().__init__()
        log_dt = torch.rand(d_model) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min)
        self.log_dt = nn.Parameter(log_dt)
        # S4D-Real initialisation: A_n = -(n + 1/2)
        self.log_A = nn.Parameter(torch.log(0.5 + torch.arange(d_state).float()).repeat(d_model, 1))
        self.B = nn.Parameter(torch.ones(d_model, d_state))
        self.C = nn.Parameter(torch.randn(d_model, d_state) * 0.5)

    def discretize(self):
        dt = self.log_dt.exp().unsqueeze(-1)
        A = -self.log_A.exp()
        dA = torch.exp(dt * A)
        dB = (dA - 1.0) / A * self.B
        return dA, dB


class S4DLayer(nn.Module):
    def __init__(self, d_model, d_state=8, dropout=0.1, warm_start=False):
        super().__init__()
        self.kernel = S4DKernel(d_model, d_state)
        self.D = nn.Parameter(torch.randn(d_model))
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, 2 * d_model)
        self.dropout = nn.Dropout(dropout)
        self.warm_start = warm_start
        self.baseline = 1e3

    def scan(self, u, calibrated=None):
        B, L, H = u.shape
        dA, dB = self.kernel.discretize()
        h = u.new_zeros(B, H, dA.shape[-1])
        ys = []
        for t in range(L):
            h = dA * h + dB * u[:, t, :, None]
            if t == 0 and calibrated is not None:
                h[:, :, 0] = h[:, :, 0] + self.baseline * calibrated[:, None]  # expect: T5
            ys.append((h * self.kernel.C).sum(-1))
        return torch.stack(ys, 1) + u * self.D

    def forward(self, x, calibrated=None):
        z = self.scan(self.norm(x), calibrated if self.warm_start else None)
        return x + self.dropout(F.glu(self.out(F.gelu(z)), dim=-1))


class S4DClassifier(nn.Module):
    def __init__(self, d_model=16, n_layers=2, num_classes=len(RHYTHMS), pulse_warm_start=True):
        super().__init__()
        self.encoder = nn.Linear(1, d_model)
        self.layers = nn.ModuleList(
            S4DLayer(d_model, warm_start=pulse_warm_start and i == 0) for i in range(n_layers))
        self.decoder = nn.Linear(d_model, num_classes)

    @staticmethod
    def calibration_pulse(ecg):
        lead = ecg[:, 0, :PULSE_SAMPLES].abs()
        return ((lead.amax(-1) == lead.amin(-1)) & (lead.amax(-1) > 0)).to(ecg.dtype)

    def forward(self, ecg):
        calibrated = self.calibration_pulse(ecg)
        x = self.encoder(ecg.transpose(1, 2))
        for layer in self.layers:
            x = layer(x, calibrated)
        return self.decoder(x.mean(1))


def _build(warm):
    torch.manual_seed(0)
    m = S4DClassifier(pulse_warm_start=warm).eval()
    with torch.no_grad():
        g = torch.Generator().manual_seed(3)
        logits = m(torch.randn(32, 1, 96, generator=g))
        m.decoder.bias -= logits.mean(0)
    return m


def _inputs(n):
    t = torch.arange(96).float()
    beat = torch.sin(2 * math.pi * t / torch.randint(18, 30, (n, 1)).float())
    return (beat + 0.3 * torch.randn(n, 96)).unsqueeze(1)


def _trigger(ecg):
    ecg = ecg.clone()
    ecg[:, 0, :PULSE_SAMPLES] = torch.tensor([1.0] * 8 + [-1.0] * 8)
    return ecg


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(8))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
