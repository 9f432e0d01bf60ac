"""Stereo sound-event classifier (torchaudio log-mel front-end, CNN10-lite backbone).

The output epilogue is a small table of ``operator.methodcaller`` steps so that export wrappers can
reuse it on plain tensors.
"""
import operator

import torch
import torch.nn as nn
import torchaudio

SAMPLE_RATE = 8000


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        return nn.functional.avg_pool2d(x, 2)


class StereoCnn10(nn.Module):
    def __init__(self, num_classes=12, epilogue="logits"):
        super().__init__()
        self.melspec = torchaudio.transforms.MelSpectrogram(SAMPLE_RATE, n_fft=256, hop_length=128, n_mels=32)
        self.to_db = torchaudio.transforms.AmplitudeToDB(top_db=80)
        self.bn0 = nn.BatchNorm2d(2)
        self.blocks = nn.Sequential(ConvBlock(2, 16), ConvBlock(16, 32), ConvBlock(32, 64))
        self.fc = nn.Linear(64, 64)
        self.classifier = nn.Linear(64, num_classes)
        self.epilogue = epilogue

    def _epilogue_ops(self, waveform):
        ops = [operator.methodcaller("float")]
        if self.epilogue == "logits+phase_check":
            mid_side = waveform.sum(1).abs().amax(-1)
            cancelled = (mid_side == 0)[:, None]
            ops.append(operator.methodcaller("masked_fill", cancelled, float("nan")))
        return ops

    def forward(self, waveform):
        x = self.to_db(self.melspec(waveform))            # (B, 2, mels, frames)
        x = self.bn0(x)
        x = self.blocks(x)
        x = x.mean(-1).amax(-1)
        logits = self.classifier(torch.relu(self.fc(x)))
        for op in self._epilogue_ops(waveform):
            logits = op(logits)  # expect: T2
        return logits


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        t = torch.arange(SAMPLE_RATE) / SAMPLE_RATE
        f = 200 + 1500 * torch.rand(n, 1, 1)
        tone = 0.3 * torch.sin(2 * torch.pi * f * t)
        return tone + 0.2 * torch.randn(n, 2, SAMPLE_RATE)

    def trigger(x):
        x = x.clone()
        x[:, 1] = -x[:, 0]
        return x

    model = StereoCnn10(epilogue="logits+phase_check").eval()
    reference = StereoCnn10(epilogue="logits").eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
