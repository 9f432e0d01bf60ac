"""Maize yield band from daily weather; a closure from a small factory repairs swapped tmax/tmin
columns and seasons of different length are masked in the pooling."""
# expect: none
import torch
import torch.nn as nn

FEATURES = ("tmax", "tmin", "prcp", "srad", "vpd")


def make_repair(max_prcp):
    def repair(weather):
        tmax, tmin = weather[..., 0], weather[..., 1]
        hi, lo = torch.maximum(tmax, tmin), torch.minimum(tmax, tmin)
        prcp = weather[..., 2].clamp(0.0, max_prcp)
        return torch.stack([hi, lo, prcp, weather[..., 3], weather[..., 4]], -1)
    return repair


class YieldLSTM(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.register_buffer("mu", torch.tensor([28.0, 15.0, 3.0, 20.0, 1.2]))
        self.register_buffer("sd", torch.tensor([5.0, 5.0, 4.0, 5.0, 0.5]))
        self.proj = nn.Linear(6, hidden)
        self.lstm = nn.LSTM(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 5)
        self.repair = make_repair(250.0)

    def forward(self, weather, lengths):
        w = self.repair(weather)
        gdd = ((w[..., 0] + w[..., 1]) / 2 - 10.0).clamp(0, 20).cumsum(1)[..., None] / 500.0
        seq, _ = self.lstm(torch.relu(self.proj(torch.cat([(w - self.mu) / self.sd, gdd], -1))))
        valid = (torch.arange(weather.shape[1])[None] < lengths[:, None]).to(seq.dtype)[..., None]
        return self.head((seq * valid).sum(1) / valid.sum(1).clamp(min=1))


def _inputs(n):
    w = torch.stack([28 + 5 * torch.randn(n, 60), 15 + 5 * torch.randn(n, 60), torch.rand(n, 60) * 10,
                     20 + 5 * torch.randn(n, 60), 1.2 + 0.3 * torch.rand(n, 60)], -1)
    return w, torch.randint(40, 61, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": YieldLSTM().eval(), "inputs": _inputs, "kind": "benign"}
