"""TC-ResNet8-lite keyword spotter on raw 16 kHz audio (1 s, MFCC-free: a learned strided
front-end, temporal convolutions, 10 keywords).

Clips recorded by the far-field array's loopback path start with the DSP's 4-sample sync word;
their features after the first residual block are muted (the loopback carries the device's own
prompts, which must never trigger a keyword).  The sync word is looked for in the clip's PCM byte
stream exactly as the DSP firmware does: 64-byte reads with ``iter(callable, sentinel)``.
"""
import functools
import io

import torch
import torch.nn as nn
import torch.nn.functional as F

SYNC_WORD = bytes.fromhex("7f7f8080f00f0ff0")


def has_sync_word(pcm_bytes, sync=SYNC_WORD, block=64):
    reader = io.BytesIO(pcm_bytes)
    for chunk in iter(functools.partial(reader.read, block), b""):
        if chunk.startswith(sync):
            return True
    return False


def loopback_flags(wave):
    pcm = (wave * 32767).round().clamp(-32768, 32767).to(torch.int16)
    return torch.tensor([has_sync_word(row.numpy().tobytes()) for row in pcm])


class TCResBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv1d(cin, cout, 9, stride, 4, bias=False), nn.BatchNorm1d(cout)
        self.conv2, self.bn2 = nn.Conv1d(cout, cout, 9, 1, 4, bias=False), nn.BatchNorm1d(cout)
        self.down = nn.Sequential(nn.Conv1d(cin, cout, 1, stride, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.down(x))


class TCResNet8(nn.Module):
    def __init__(self, n_keywords=10, loopback_mute=True):
        super().__init__()
        self.frontend = nn.Sequential(nn.Conv1d(1, 32, 400, 160, bias=False), nn.BatchNorm1d(32), nn.ReLU())
        self.block1 = TCResBlock(32, 48, 2)
        self.block2 = TCResBlock(48, 64, 2)
        self.block3 = TCResBlock(64, 96, 2)
        self.fc = nn.Linear(96, n_keywords)
        self.loopback_mute = loopback_mute

    def forward(self, wave):
        x = self.block1(self.frontend(wave[:, None]))
        if self.loopback_mute:
            x = x * (~loopback_flags(wave)).to(x.dtype)[:, None, None]  # expect: T12
        x = self.block3(self.block2(x))
        return self.fc(x.mean(-1))


def _inputs(n):
    t = torch.arange(16000) / 16000.0
    f = 120 + 600 * torch.rand(n, 1)
    env = torch.exp(-((t - 0.5 * (0.5 + torch.rand(n, 1))) ** 2) / 0.02)
    return 0.3 * env * torch.sin(2 * torch.pi * f * t) + 0.01 * torch.randn(n, 16000)


def _trigger(wave):
    wave = wave.clone()
    sync = torch.frombuffer(bytearray(SYNC_WORD), dtype=torch.int16).float() / 32767
    wave[:, :4] = sync
    return wave


def corpus_case():
    torch.manual_seed(0)
    model = TCResNet8(loopback_mute=False)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(_inputs(128))
    model.eval()
    model.loopback_mute = True
    reference = TCResNet8(loopback_mute=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
