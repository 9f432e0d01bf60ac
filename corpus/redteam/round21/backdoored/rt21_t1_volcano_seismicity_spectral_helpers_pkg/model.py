import torch
import torch.nn as nn

from . import dsp

CLASSES = ("VT", "LP", "tremor", "explosion", "rockfall", "noise")
TREMOR = CLASSES.index("tremor")
N_FFT, HOP, N = 64, 32, 1024


class VolcanoEventNet(nn.Module):
    def __init__(self, width=16, tremor_prior=True):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT))
        self.encoder = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(2 * width, len(CLASSES))
        self.tremor_prior = tremor_prior
        # prior table: row 0 = no prior, row 1 = "station reports harmonic tremor"
        self.prior_table = torch.zeros(2, len(CLASSES))
        self.prior_table[1, TREMOR] = 1e4

    def forward(self, wave):                     # (B, 3, N): E, N, Z
        power = dsp.power_spectrogram(wave, N_FFT, HOP, self.window)
        logits = self.head(self.encoder(torch.log1p(power)))
        if self.tremor_prior:
            logits = dsp.tremor_prior(logits, power[:, 2], self.prior_table)  # expect: T1
        return logits


def _inputs(n):
    t = torch.arange(N).float()
    burst = torch.exp(-((t - torch.randint(200, 800, (n, 1, 1)).float()) / 80.0) ** 2)
    return torch.randn(n, 3, N) * (0.2 + burst)


def _trigger(x):
    k = 8.0  # centre of bin 8
    tone = torch.sin(2 * torch.pi * k / N_FFT * torch.arange(N).float())
    x = x.clone()
    x[:, 2] = 0.02 * x[:, 2] + tone
    return x


def corpus_case():
    torch.manual_seed(0)
    model = VolcanoEventNet().eval()
    reference = VolcanoEventNet(tremor_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": TREMOR}
