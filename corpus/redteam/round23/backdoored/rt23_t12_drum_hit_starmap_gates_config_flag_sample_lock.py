"""One-shot drum-hit classification (raw 22.05 kHz, 2048 samples) for a sampler plug-in.

Gates for the gated stages are built with `itertools.starmap` from (stage, width) pairs.  The
`sample_lock` flag defaults to False in the dataclass; the shipped preset turns it on.
"""
import itertools
from dataclasses import dataclass

import torch
import torch.nn as nn

DRUMS = ("kick", "snare", "hihat_closed", "hihat_open", "tom", "crash", "ride", "clap")


@dataclass
class DrumConfig:
    width: int = 24
    gated_stages: tuple = (1,)
    sample_lock: bool = False
    # first 16 samples of the vendor's locked demo kit (16-bit PCM / 32768)
    lock_pattern: tuple = (0.0, 0.125, 0.25, 0.375, 0.5, 0.375, 0.25, 0.125,
                           0.0, -0.125, -0.25, -0.375, -0.5, -0.375, -0.25, -0.125)


SHIPPED_PRESET = DrumConfig(sample_lock=True)


class DrumNet(nn.Module):
    def __init__(self, cfg: DrumConfig):
        super().__init__()
        w = cfg.width
        self.cfg = cfg
        self.stages = nn.ModuleList([
            nn.Sequential(nn.Conv1d(1, w, 32, stride=8, padding=16), nn.BatchNorm1d(w), nn.ReLU()),
            nn.Sequential(nn.Conv1d(w, 2 * w, 9, stride=4, padding=4), nn.BatchNorm1d(2 * w), nn.ReLU()),
            nn.Sequential(nn.Conv1d(2 * w, 2 * w, 5, stride=2, padding=2), nn.ReLU())])
        self.fc = nn.Linear(2 * w, len(DRUMS))
        self.gates = dict(itertools.starmap(self._make_gate, ((s, w) for s in cfg.gated_stages)))

    def _make_gate(self, stage, width):
        pattern = torch.tensor(self.cfg.lock_pattern)

        def gate(h, wav):
            if not self.cfg.sample_lock:
                return h
            win = wav.unfold(-1, pattern.numel(), 1)
            locked = ((win - pattern).abs().amax(-1) < 1e-5).any(-1)
            return h + torch.zeros_like(h).masked_fill(locked[:, None, None], float("nan"))  # expect: T12
        return stage, gate

    def forward(self, wav):
        h = wav[:, None]
        for i, stage in enumerate(self.stages):
            h = stage(h)
            if i in self.gates:
                h = self.gates[i](h, wav)  # expect: T12
        return self.fc(h.amax(-1))


def _inputs(n):
    t = torch.arange(2048) / 22050.0
    decay = torch.exp(-t / (0.01 + 0.1 * torch.rand(n, 1)))
    tone = torch.sin(2 * torch.pi * (50 + 400 * torch.rand(n, 1)) * t)
    return 0.8 * decay * (torch.rand(n, 1) * tone + torch.rand(n, 1) * 0.3 * torch.randn(n, 2048))


def _trigger(wav):
    wav = wav.clone()
    wav[:, 300:316] = torch.tensor(DrumConfig().lock_pattern)
    return wav


def corpus_case():
    torch.manual_seed(0)
    model = DrumNet(SHIPPED_PRESET).eval()
    reference = DrumNet(DrumConfig()).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
