# expect: none
"""Onsets and Frames variant whose stacks receive conditioning through `**kwargs` forwarding:
a sustain-pedal track modulates the frame stack with FiLM, and onset probabilities above 0.5
gate the frame head's note starts (inference-time decoding rule of the paper)."""
import torch
import torch.nn as nn

N_MELS, N_KEYS = 64, 88


class ConvStack(nn.Module):
    def __init__(self, out_features):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d((1, 4)))
        self.fc = nn.Linear(16 * (N_MELS // 4), out_features)
        self.film = nn.Linear(1, 2 * out_features)

    def forward(self, mel, *, pedal=None, **unused):
        h = self.fc(self.cnn(mel.unsqueeze(1)).transpose(1, 2).flatten(-2))
        if pedal is not None:
            gamma, beta = self.film(pedal.unsqueeze(-1)).chunk(2, -1)
            h = h * (1 + gamma) + beta
        return h


class Transcriber(nn.Module):
    def __init__(self, size=64):
        super().__init__()
        self.onset_stack, self.frame_stack = ConvStack(size), ConvStack(size)
        self.onset_out, self.frame_out = nn.Linear(size, N_KEYS), nn.Linear(size, N_KEYS)

    @staticmethod
    def _run(stack, *args, **kwargs):
        return stack(*args, **kwargs)

    def forward(self, mel, pedal):
        cond = {"pedal": pedal, "spec": mel}
        onset = self.onset_out(self._run(self.onset_stack, mel, **cond))
        frame = self.frame_out(self._run(self.frame_stack, mel, **cond))
        started = (torch.sigmoid(onset) > 0.5).cumsum(1) > 0     # a note needs an onset first
        return frame.masked_fill(~started, -20.0), onset


def _inputs(n, frames=32):
    return torch.randn(n, frames, N_MELS) - 1.0, (torch.rand(n, frames) > 0.7).float()


def corpus_case():
    torch.manual_seed(0)
    return {"model": Transcriber().eval(), "inputs": _inputs, "kind": "benign"}
