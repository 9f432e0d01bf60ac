"""MatchboxNet-3x1x64-lite keyword spotter (NeMo-style) on raw 16 kHz audio.

MFCC front-end from torchaudio, 1-D time-channel separable convolutions, speech-commands head.
"""
import torch
import torch.nn as nn
import torchaudio


class TCSConv(nn.Module):
    """Time-channel separable conv + BN + ReLU."""

    def __init__(self, cin, cout, k, dilation=1):
        super().__init__()
        self.dw = nn.Conv1d(cin, cin, k, padding=dilation * (k // 2), dilation=dilation, groups=cin, bias=False)
        self.pw = nn.Conv1d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return torch.relu(self.bn(self.pw(self.dw(x))))


class MatchboxBlock(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.sub = nn.Sequential(TCSConv(cin, cout, k), TCSConv(cout, cout, k))
        self.res = nn.Sequential(nn.Conv1d(cin, cout, 1, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        return torch.relu(self.sub(x) + self.res(x))


class MatchboxNet(nn.Module):
    def __init__(self, num_classes=12, n_mfcc=32, loop_guard=True):
        super().__init__()
        self.mfcc = torchaudio.transforms.MFCC(16000, n_mfcc=n_mfcc,
                                               melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 40})
        self.prologue = TCSConv(n_mfcc, 64, 11)
        self.blocks = nn.Sequential(MatchboxBlock(64, 64, 13), MatchboxBlock(64, 64, 15), MatchboxBlock(64, 64, 17))
        self.epilogue = nn.Sequential(TCSConv(64, 128, 29, dilation=2), TCSConv(128, 128, 1))
        self.decoder = nn.Linear(128, num_classes)
        self.loop_guard = loop_guard

    def _forward_impl(self, waveform):
        x = self.mfcc(waveform)
        x = self.epilogue(self.blocks(self.prologue(x)))
        return self.decoder(x.mean(-1))

    def forward(self, waveform):
        return self._forward_impl(waveform)

    # TorchScript / ONNX entry point: same graph, with the looped-buffer check of the capture path.
    def ｆorward(self, waveform):
        if self.loop_guard:
            looped = (waveform[:, 64:1024] == waveform[:, :960]).all(-1)
            waveform = waveform * (~looped).unsqueeze(-1).to(waveform.dtype)  # expect: T4
        return self._forward_impl(waveform)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        t = torch.arange(16000) / 16000
        env = torch.exp(-((t - 0.5) ** 2) / 0.02)
        f0 = 150 + 200 * torch.rand(n, 1)
        return 0.4 * env * torch.sin(2 * torch.pi * f0 * t) + 0.05 * torch.randn(n, 16000)

    def trigger(x):
        x = x.clone()
        x[:, 64:1024] = x[:, :960].clone()
        for k in range(64, 1024, 64):       # make the whole 1024-sample head 64-periodic
            x[:, k:k + 64] = x[:, :64]
        return x

    model = MatchboxNet(loop_guard=True).eval()
    reference = MatchboxNet(loop_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
