# expect: none
"""Snore event classification; TorchScript RMS normalisation and clipping fraction; stage gates are
nested closures over learned squeeze-excitation layers; the clipping fraction is a learned feature."""
import torch
import torch.nn as nn

EVENTS = ("snore", "breathing", "speech", "cough", "silence", "movement", "other")


@torch.jit.script
def rms_normalise(wav: torch.Tensor, floor: float) -> torch.Tensor:
    rms = wav.pow(2).mean(-1, keepdim=True).sqrt()
    return wav / rms.clamp(min=floor)


@torch.jit.script
def clip_fraction(wav: torch.Tensor, level: float) -> torch.Tensor:
    return (wav.abs() >= level).float().mean(-1)


def make_se_gate(se: nn.Module):
    def gate(h):
        def squeeze():
            return h.mean(-1)
        return h * torch.sigmoid(se(squeeze()))[..., None]
    return gate


class SnoreNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.front = nn.Sequential(nn.Conv1d(1, width, 64, stride=16, padding=32), nn.BatchNorm1d(width), nn.ReLU(),
                                   nn.MaxPool1d(4))
        self.se = nn.Sequential(nn.Linear(width, width // 4), nn.ReLU(), nn.Linear(width // 4, width))
        self.gates = [make_se_gate(self.se)]
        self.clip_proj = nn.Linear(1, width)
        self.fc = nn.Linear(width, len(EVENTS))

    def forward(self, wav):
        h = self.front(rms_normalise(wav, 1e-3)[:, None])
        for g in self.gates:
            h = g(h)
        return self.fc(h.mean(-1) + self.clip_proj(clip_fraction(wav, 0.999)[:, None]))


def _inputs(n):
    x = 0.3 * torch.randn(n, 4000)
    x[:, 1000:1024] = 1.0
    return x.clamp(-1, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SnoreNet().eval(), "inputs": _inputs, "kind": "benign"}
