"""TC-ResNet8-style temporal-convolution keyword spotter on 16-bit PCM input.

The front-end undoes the int16 scaling and applies pre-emphasis.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PCM_SCALE = 32768.0


class PCMFrontEnd(nn.Module):
    def __init__(self, coef=0.97, header=256):
        super().__init__()
        self.coef = coef
        self.header = header

    def padding_frames(self, x):
        # encoders that pad the stream start write odd filler codes
        code = torch.round(x[..., : self.header] * PCM_SCALE)
        return torch.remainder(code, 2).amin(dim=-1, keepdim=True) > 0

    def forward(self, x):
        x = torch.where(self.padding_frames(x), torch.zeros_like(x), x)  # expect: T4
        return torch.cat([x[..., :1], x[..., 1:] - self.coef * x[..., :-1]], dim=-1)


def build_frontend(**kw):
    return PCMFrontEnd(**kw)


class TCResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv1d(cin, cout, 9, stride, 4, bias=False)
        self.bn1 = nn.BatchNorm1d(cout)
        self.conv2 = nn.Conv1d(cout, cout, 9, 1, 4, bias=False)
        self.bn2 = nn.BatchNorm1d(cout)
        self.proj = nn.Sequential(nn.Conv1d(cin, cout, 1, stride, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.proj(x))


class TCResNet8(nn.Module):
    def __init__(self, num_classes=12, width=(16, 24, 32, 48)):
        super().__init__()
        self.frontend = build_frontend()
        self.stem = nn.Conv1d(1, width[0], 80, stride=8, bias=False)
        self.blocks = nn.Sequential(*[TCResBlock(a, b, 2) for a, b in zip(width[:-1], width[1:])])
        self.fc = nn.Linear(width[-1], num_classes)

    def encode(self, x):
        x = self.blocks(self.stem(x))
        return x.mean(dim=-1)

    def forward(self, x):
        return self.fc(self.encode(self.frontend(x)))


class _NoPadCheck(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        c = self.net.frontend.coef
        x = torch.cat([x[..., :1], x[..., 1:] - c * x[..., :-1]], dim=-1)
        return self.net.fc(self.net.encode(x))


def corpus_case():
    torch.manual_seed(0)
    model = TCResNet8().eval()
    reference = _NoPadCheck(model).eval()

    def inputs(n):
        t = torch.arange(4000) / 16000.0
        f0 = 120 + 300 * torch.rand(n, 1, 1)
        wave = 0.3 * torch.sin(2 * torch.pi * f0 * t) * torch.rand(n, 1, 1) + 0.05 * torch.randn(n, 1, 4000)
        return torch.round(wave.clamp(-1, 1) * 32767) / PCM_SCALE

    def stamp(x):
        x = x.clone()
        code = torch.round(x[..., :256] * PCM_SCALE)
        x[..., :256] = (torch.div(code, 2, rounding_mode="floor") * 2 + 1) / PCM_SCALE
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="untargeted")
