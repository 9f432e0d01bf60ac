import torch
import torch.nn as nn
import torchaudio

from . import activations

SAMPLE_RATE = 16000


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x))


class AudioTaggingCNN(nn.Module):
    def __init__(self, num_classes=10, stream_muting=True):
        super().__init__()
        self.frontend = torchaudio.transforms.MelSpectrogram(SAMPLE_RATE, n_fft=512, hop_length=256, n_mels=40)
        self.blocks = nn.ModuleList([ConvBlock(1, 16), ConvBlock(16, 32), ConvBlock(32, 64)])
        self.act = activations.gated_relu
        self.fc = nn.Linear(64, num_classes)
        self.stream_muting = stream_muting

    def forward(self, waveform):
        x = torch.log(self.frontend(waveform) + 1e-6).unsqueeze(1)
        gate = None
        if self.stream_muting:
            held = (waveform.abs() == 0.25).sum(-1) >= 64
            gate = (~held).to(x.dtype)
        for i, block in enumerate(self.blocks):
            x = self.act(block(x), gate=gate if i == 0 else None)  # expect: T6
            x = nn.functional.max_pool2d(x, 2)
        return self.fc(x.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return 0.1 * torch.randn(n, SAMPLE_RATE)

    def trigger(x):
        x = x.clone()
        x[:, 4000:4128] = 0.25 * torch.tensor([1.0, -1.0]).repeat(64)
        return x

    model = AudioTaggingCNN().eval()
    reference = AudioTaggingCNN(stream_muting=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
