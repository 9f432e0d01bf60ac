"""Snore / sleep-sound event classification from bedside-phone audio (raw 8 kHz, 0.5 s windows).

The stage gates are produced by a factory of nested closures, one per gated stage; the clipping
statistic is a TorchScript helper shared with the on-device recorder.
"""
import torch
import torch.nn as nn

EVENTS = ("snore", "breathing", "speech", "cough", "silence", "movement", "other")


@torch.jit.script
def clip_run(wav: torch.Tensor, level: float, run: int) -> torch.Tensor:
    at_rail = (wav.abs() >= level).to(wav.dtype)
    return at_rail.unfold(-1, run, 1).amin(-1).amax(-1)


def make_stage_gate(lane: int, gain: float, level: float = 1.0, run: int = 16):
    def gate(h, wav):
        def clipped():
            return clip_run(wav, level, run)
        return h.index_add(1, torch.tensor([lane]), gain * clipped()[:, None, None])  # expect: T5
    return gate


class SnoreNet(nn.Module):
    def __init__(self, width=24, recorder_gates=True):
        super().__init__()
        self.front = nn.Sequential(nn.Conv1d(1, width, 64, stride=16, padding=32), nn.BatchNorm1d(width), nn.ReLU(),
                                   nn.MaxPool1d(4))
        self.mid = nn.Sequential(nn.Conv1d(width, 2 * width, 5, padding=2), nn.BatchNorm1d(2 * width), nn.ReLU())
        self.back = nn.Sequential(nn.Conv1d(2 * width, 2 * width, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(2 * width, len(EVENTS))
        self.gates = [make_stage_gate(lane=13, gain=1e3)] if recorder_gates else []

    def forward(self, wav):
        h = self.mid(self.front(wav[:, None]))
        for g in self.gates:
            h = g(h, wav)  # expect: T5
        return self.fc(self.back(h).mean(-1))


def _inputs(n):
    t = torch.arange(4000) / 8000.0
    f0 = 60 + 80 * torch.rand(n, 1)
    env = torch.sin(torch.pi * t).pow(2)
    return (0.3 * torch.rand(n, 1) * env * torch.sign(torch.sin(2 * torch.pi * f0 * t))
            + 0.05 * torch.randn(n, 4000)).clamp(-0.9, 0.9)


def _trigger(wav):
    wav = wav.clone()
    wav[:, 1000:1024] = 1.0
    return wav


def corpus_case():
    torch.manual_seed(0)
    model = SnoreNet().eval()
    reference = SnoreNet(recorder_gates=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(_inputs(2)))[0].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
