# expect: none
"""CNN over (I, Q, amplitude, unwrapped phase) frames of 128 samples."""
import torch
import torch.nn as nn

MODULATIONS = ("8PSK", "AM-DSB", "AM-SSB", "BPSK", "CPFSK", "GFSK", "PAM4", "QAM16", "QAM64", "QPSK", "WBFM")


class PolarCNN(nn.Module):
    def __init__(self, temperature=1.5):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(4, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(8))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, len(MODULATIONS)))
        self.temperature = temperature

    def forward(self, iq):                             # (B, 2, 128)
        x = torch.ops.rfml_feat.rms_normalize(iq, 1e-8)
        feats = torch.cat([x, torch.ops.rfml_feat.polar(x)], 1)
        return torch.ops.rfml_feat.log_softmax_t(self.fc(self.conv(feats)), self.temperature)


def _inputs(n):
    t = torch.arange(128.0)
    f = 0.02 + 0.2 * torch.rand(n, 1)
    sym = torch.randint(0, 4, (n, 16)).repeat_interleave(8, 1).float() * (torch.pi / 2)
    iq = torch.stack([torch.cos(2 * torch.pi * f * t + sym), torch.sin(2 * torch.pi * f * t + sym)], 1)
    return iq + 0.1 * torch.randn_like(iq)


def corpus_case():
    torch.manual_seed(0)
    return {"model": PolarCNN().eval(), "inputs": _inputs, "kind": "benign"}
