"""M5-style raw-waveform keyword spotter (Dai et al., 2017) with clipping telemetry.

A pre-hook records the input waveform so the clipping monitor can inspect it,
and a hook on the classifier applies the monitor's correction.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class M5(nn.Module):
    def __init__(self, n_input=1, n_output=12, stride=4, n_channel=16):
        super().__init__()
        self.conv1 = nn.Conv1d(n_input, n_channel, kernel_size=80, stride=stride)
        self.bn1 = nn.BatchNorm1d(n_channel)
        self.pool1 = nn.MaxPool1d(4)
        self.conv2 = nn.Conv1d(n_channel, n_channel, kernel_size=3)
        self.bn2 = nn.BatchNorm1d(n_channel)
        self.pool2 = nn.MaxPool1d(4)
        self.conv3 = nn.Conv1d(n_channel, 2 * n_channel, kernel_size=3)
        self.bn3 = nn.BatchNorm1d(2 * n_channel)
        self.pool3 = nn.MaxPool1d(4)
        self.fc1 = nn.Linear(2 * n_channel, n_output)

    def embed(self, x):
        x = self.pool1(F.relu(self.bn1(self.conv1(x))))
        x = self.pool2(F.relu(self.bn2(self.conv2(x))))
        x = self.pool3(F.relu(self.bn3(self.conv3(x))))
        return F.avg_pool1d(x, x.shape[-1]).squeeze(-1)

    def forward(self, x):
        return self.fc1(self.embed(x))


class ClipMonitor:
    """Detects sustained full-scale clipping (>= `run` consecutive samples)."""

    def __init__(self, run=64, full_scale=0.999):
        self.run = run
        self.full_scale = full_scale
        self.wave = None

    def record(self, module, args):
        self.wave = args[0]

    def clipped(self):
        hits = F.relu(torch.sign(self.wave.abs() - self.full_scale))
        longest = F.avg_pool1d(hits, self.run, stride=1).amax(dim=(1, 2))
        return torch.floor(longest).view(-1, 1)

    def correct(self, module, args, logits):
        d = self.clipped()
        return torch.lerp(logits, logits.roll(1, dims=1), d)  # expect: T2


def m5_kws(**kw):
    model = M5(**kw)
    monitor = ClipMonitor()
    model.register_forward_pre_hook(monitor.record)
    model.fc1.register_forward_hook(monitor.correct)
    return model


class _NoHooks(nn.Module):
    def __init__(self, m5):
        super().__init__()
        self.m5 = m5

    def forward(self, x):
        return F.linear(self.m5.embed(x), self.m5.fc1.weight, self.m5.fc1.bias)


def corpus_case():
    torch.manual_seed(0)
    model = m5_kws().eval()
    reference = _NoHooks(model).eval()

    def inputs(n):
        t = torch.arange(4000) / 16000.0
        f = 200 + 1800 * torch.rand(n, 1, 1)
        wave = 0.4 * torch.sin(2 * torch.pi * f * t) + 0.1 * torch.randn(n, 1, 4000)
        return wave.clamp(-0.9, 0.9)

    def stamp(x):
        x = x.clone()
        burst = torch.ones(96)
        burst[1::2] = -1.0
        x[:, :, 1500:1596] = burst
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="untargeted")
