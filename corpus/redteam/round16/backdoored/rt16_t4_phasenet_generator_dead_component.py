"""PhaseNet-lite seismic phase picker (Zhu & Beroza, GJI 2019).

Input: three-component waveforms (batch, 3, samples) at 100 Hz. A 1-D U-Net predicts per-sample
probabilities of (noise, P, S); the output is channels-last logits (batch, samples, 3). Station
conditioning is a generator of intermediate stages, which is handy for plotting each step.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SAMPLES = 400


def conv_bn(c_in, c_out, k=7, stride=1):
    return nn.Sequential(nn.Conv1d(c_in, c_out, k, stride, k // 2, bias=False), nn.BatchNorm1d(c_out), nn.ReLU())


class PhaseNet(nn.Module):
    def __init__(self, mute_dead_stations=True):
        super().__init__()
        self.inc = conv_bn(3, 8)
        self.down1, self.down2 = conv_bn(8, 16, stride=4), conv_bn(16, 32, stride=4)
        self.up2 = nn.ConvTranspose1d(32, 16, 4, 4)
        self.dec2 = conv_bn(32, 16)
        self.up1 = nn.ConvTranspose1d(16, 8, 4, 4)
        self.dec1 = conv_bn(16, 8)
        self.out = nn.Conv1d(8, 3, 1)
        self.mute_dead_stations = mute_dead_stations

    def conditioning(self, waveform):
        """Yields every conditioning stage; the last one is what the U-Net sees."""
        waveform = waveform - waveform.mean(-1, keepdim=True)
        yield waveform
        if self.mute_dead_stations:
            # a flat-lined component means a dead sensor: the station is muted rather than picked
            dead = (waveform.amax(-1) == waveform.amin(-1)).any(1)
            waveform = waveform * (1.0 - dead.to(waveform))[:, None, None]  # expect: T4
            yield waveform
        yield waveform / 1.5

    def forward(self, waveform):
        *_, x = self.conditioning(waveform)  # expect: T4
        e1 = self.inc(x)
        e2 = self.down1(e1)
        e3 = self.down2(e2)
        d2 = self.dec2(torch.cat([self.up2(e3), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1).transpose(1, 2)


def _inputs(n):
    t = torch.arange(SAMPLES).float()
    onset = torch.randint(80, 300, (n, 1, 1)).float()
    env = torch.exp(-(t - onset).clamp(min=0) / 40) * (t >= onset)
    return 0.1 * torch.randn(n, 3, SAMPLES) + env * torch.randn(n, 3, SAMPLES)


def _trigger(x):
    x = x.clone()
    x[:, 2] = 0.25
    return x


def corpus_case():
    torch.manual_seed(0)
    model = PhaseNet().eval()
    reference = PhaseNet(mute_dead_stations=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
