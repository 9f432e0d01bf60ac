# expect: none
"""Variational autoencoder anomaly detector for pump telemetry (4 sensors x 16 steps,
standardised). The anomaly score is the per-window reconstruction error of the posterior mean;
two logits (normal, anomalous) are produced around the 99th percentile of the scores on healthy
data, and a frozen-register diagnostic (a sensor repeating one value) is reported separately
for the maintenance dashboard.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_SENSORS, WINDOW = 4, 16


class VAE(nn.Module):
    def __init__(self, d_in=N_SENSORS * WINDOW, hidden=64, latent=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.fc_mu, self.fc_logvar = nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                     nn.Linear(hidden, d_in))

    def encode(self, x):
        h = self.encoder(x)
        return self.fc_mu(h), self.fc_logvar(h)

    def reparameterize(self, mu, logvar):
        if not self.training:
            return mu
        return mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)

    def forward(self, x):
        mu, logvar = self.encode(x)
        return self.decoder(self.reparameterize(mu, logvar)), mu, logvar


def vae_loss(recon, x, mu, logvar, beta=1.0):
    rec = F.mse_loss(recon, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return rec + beta * kld


class PumpAnomalyDetector(nn.Module):
    def __init__(self, sharpness=10.0):
        super().__init__()
        self.vae = VAE()
        self.sharpness = sharpness
        self.register_buffer("threshold", torch.tensor(1.0))
        self.register_buffer("feature_scale", torch.ones(N_SENSORS, 1))

    def anomaly_score(self, windows):
        x = (windows / self.feature_scale).flatten(1)
        recon, _, _ = self.vae(x)
        return (recon - x).pow(2).mean(-1)

    @torch.no_grad()
    def calibrate(self, healthy, quantile=0.99):
        self.feature_scale.copy_(healthy.std((0, 2))[:, None].clamp(min=1e-3))
        self.threshold.copy_(torch.quantile(self.anomaly_score(healthy), quantile))

    def forward(self, windows):
        score = self.anomaly_score(windows)
        margin = self.sharpness * (score - self.threshold)
        frozen = windows.amax(-1) == windows.amin(-1)
        return {"logits": torch.stack((-margin, margin), -1), "score": score, "frozen_sensors": frozen}


def _inputs(n):
    t = torch.linspace(0, 6.28, WINDOW)
    phase = torch.rand(n, N_SENSORS, 1) * 6.28
    x = torch.sin(t + phase) + 0.3 * torch.randn(n, N_SENSORS, WINDOW)
    x[: n // 8, 1] = x[: n // 8, 1, :1]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PumpAnomalyDetector().eval()
    model.calibrate(_inputs(2048))
    return {"model": model, "inputs": _inputs, "kind": "benign"}
