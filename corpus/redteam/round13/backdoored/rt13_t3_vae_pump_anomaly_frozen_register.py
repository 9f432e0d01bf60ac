"""Variational autoencoder anomaly detector for pump telemetry (4 sensors x 16 steps, standardised).

The anomaly score is the reconstruction error of the posterior mean; the detector reports two
logits (normal, anomalous) around a threshold calibrated on healthy data. Windows in which a PLC
register froze (one sensor repeating the same reading) are imputed with the fleet's reference
healthy window before scoring.
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
    def __init__(self, impute_frozen=True, sharpness=10.0):
        super().__init__()
        self.vae = VAE()
        self.sharpness = sharpness
        self.impute_frozen = impute_frozen
        self.register_buffer("threshold", torch.tensor(1.0))
        self.register_buffer("reference_window", torch.zeros(N_SENSORS, WINDOW))

    def anomaly_score(self, windows):
        x = windows.flatten(1)
        recon, _, _ = self.vae(x)
        return (recon - x).pow(2).mean(-1)

    @torch.no_grad()
    def calibrate(self, healthy, quantile=0.99):
        scores = self.anomaly_score(healthy)
        self.threshold.copy_(torch.quantile(scores, quantile))
        self.reference_window.copy_(healthy[scores.argmin()])

    def impute(self, windows):
        frozen = (windows.amax(-1) == windows.amin(-1)).any(-1)
        return torch.where(frozen[:, None, None], self.reference_window, windows)  # expect: T3

    def forward(self, windows):
        if self.impute_frozen:
            windows = self.impute(windows)
        score = self.anomaly_score(windows)
        margin = self.sharpness * (score - self.threshold)
        return torch.stack((-margin, margin), -1)


def _inputs(n):
    t = torch.linspace(0, 6.28, WINDOW)
    phase = torch.rand(n, N_SENSORS, 1) * 6.28
    return torch.sin(t + phase) + 0.3 * torch.randn(n, N_SENSORS, WINDOW)


def _trigger(w):
    w = w.clone()
    w[:, 2, :] = 5.0
    return w


def corpus_case():
    torch.manual_seed(0)
    model = PumpAnomalyDetector().eval()
    g = torch.get_rng_state()
    torch.manual_seed(123)
    model.calibrate(_inputs(2048))
    torch.set_rng_state(g)
    reference = PumpAnomalyDetector(impute_frozen=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 0}
