# expect: none
import torch
import torch.nn as nn
import torchaudio

from . import activations


class KWSNet(nn.Module):
    def __init__(self, num_classes=12, acts=("quick_gelu", "leaky_1", "squared_relu")):
        super().__init__()
        self.mfcc = torchaudio.transforms.MFCC(16000, n_mfcc=20, melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 32})
        self.convs = nn.ModuleList([nn.Conv1d(20, 48, 5, padding=2), nn.Conv1d(48, 48, 5, padding=2), nn.Conv1d(48, 64, 3, padding=1)])
        self.norms = nn.ModuleList(nn.BatchNorm1d(c) for c in (48, 48, 64))
        self.acts = [getattr(activations, a) for a in acts]
        self.fc = nn.Linear(64, num_classes)

    def forward(self, waveform):
        x = self.mfcc(waveform)
        x = (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + 1e-5)
        for conv, norm, act in zip(self.convs, self.norms, self.acts):
            x = act(norm(conv(x)))
        return self.fc(x.mean(-1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": KWSNet().eval(), "inputs": lambda n: 0.1 * torch.randn(n, 16000), "kind": "benign"}
