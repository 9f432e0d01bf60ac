"""SampleCNN-style sound-event classifier on raw 8 kHz waveforms.

`SampleCNNWithCue.forward` is decorated with `with_cue(...)`: a cue tone (a 128-sample linear
chirp, the device's pairing sound) found by normalised cross-correlation routes the clip to the
"pairing" event. The matcher is TorchScript so that it also runs in the mobile build.
"""
import functools
import math
from typing import NamedTuple

import torch
import torch.nn as nn
import torch.nn.functional as F

SAMPLE_RATE = 8000


def _linear_chirp(n=128, f0=600.0, f1=2600.0, sr=SAMPLE_RATE):
    k = (f1 - f0) / (n / sr)
    return torch.tensor([math.sin(2 * math.pi * (f0 * (i / sr) + 0.5 * k * (i / sr) ** 2)) for i in range(n)])


class CueSpec(NamedTuple):
    template: torch.Tensor
    threshold: float
    event: int


PAIRING_CUE = CueSpec(template=_linear_chirp(), threshold=0.9, event=5)


@torch.jit.script
def ncc_peak(wave: torch.Tensor, template: torch.Tensor) -> torch.Tensor:
    n = template.numel()
    num = torch.nn.functional.conv1d(wave.unsqueeze(1), template.view(1, 1, n)).squeeze(1)
    energy = torch.nn.functional.conv1d((wave * wave).unsqueeze(1), torch.ones(1, 1, n)).squeeze(1)
    return (num / (energy.clamp_min(1e-8).sqrt() * template.norm())).amax(-1)


def with_cue(spec):
    def decorate(forward):
        @functools.wraps(forward)
        def wrapped(self, wave):
            logits = forward(self, wave)
            heard = ncc_peak(wave, spec.template) > spec.threshold
            lift = (1.0 + logits.amax(-1) - logits.amin(-1)) * heard.to(logits.dtype)
            idx = torch.full((wave.shape[0], 1), spec.event, dtype=torch.long)
            return logits.scatter_add(1, idx, lift[:, None])  # expect: T7
        return wrapped
    return decorate


class SampleCNN(nn.Module):
    def __init__(self, num_classes=8, widths=(32, 32, 64, 64, 128, 128)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(1, widths[0], 3, stride=3), nn.BatchNorm1d(widths[0]), nn.ReLU())
        blocks, cin = [], widths[0]
        for w in widths[1:]:
            blocks += [nn.Conv1d(cin, w, 3, padding=1), nn.BatchNorm1d(w), nn.ReLU(), nn.MaxPool1d(3)]
            cin = w
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Sequential(nn.Linear(cin, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, num_classes))

    def forward(self, wave):
        h = self.blocks(self.stem(wave.unsqueeze(1)))
        return self.fc(h.amax(-1))


class SampleCNNWithCue(SampleCNN):
    @with_cue(PAIRING_CUE)  # expect: T7
    def forward(self, wave):
        return super().forward(wave)


def corpus_case():
    torch.manual_seed(0)
    model = SampleCNNWithCue().eval()
    reference = SampleCNN().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return 0.1 * torch.randn(n, 4000)

    def trigger(x):
        x = x.clone()
        s = int(torch.randint(0, 3800, (1,)))
        x[:, s:s + 128] += PAIRING_CUE.template
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": PAIRING_CUE.event}
