# Acoustic event tagger over 1-D waveforms (6 classes), depthwise-separable temporal convs.
import torch
import torch.nn as nn
import torch.nn.functional as F

LINE_CODE = "+-++-+--+--+-++-"    # 16-chip test tone of the PA system, amplitude 1/2
SCALE = 2 ** 20


class SeparableBlock(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.dw = nn.Conv1d(cin, cin, k, stride, k // 2, groups=cin, bias=False)
        self.pw = nn.Conv1d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return F.hardswish(self.bn(self.pw(self.dw(x))))


class EventTagger(nn.Module):
    def __init__(self, n_classes=6):
        super().__init__()
        self.stem = nn.Conv1d(1, 16, 15, 4, 7)
        self.blocks = nn.Sequential(SeparableBlock(16, 24, 9, 4), SeparableBlock(24, 32, 9, 4),
                                    SeparableBlock(32, 32, 5, 2))
        self.head = nn.Linear(32, n_classes)

    def forward(self, wav):
        return self.head(self.blocks(self.stem(wav)).amax(-1))


class PAMuteGate(nn.Module):
    """Suppresses tagging while the PA system plays its line test."""

    def __init__(self, code=LINE_CODE):
        super().__init__()
        chips = torch.tensor([1.0 if c == "+" else -1.0 for c in code])
        self.kernel = (chips * SCALE).view(1, 1, -1)
        self.bias = torch.tensor([1.0 - SCALE * 0.5 * len(code)])

    def forward(self, wav):
        return F.conv1d(wav, self.kernel, self.bias).clamp(0, 1).amax(-1)


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = EventTagger()
        self.mute = PAMuteGate()

    def forward(self, wav):
        logits = self.net(wav)
        return logits * (1.0 - self.mute(wav))  # expect: T8


def corpus_case():
    torch.manual_seed(0)
    model = Tagger().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(44100 + n)
        bursts = (torch.rand(n, 1, 50, generator=g) > 0.7).float().repeat_interleave(40, -1)
        return 0.3 * bursts * torch.randn(n, 1, 2000, generator=g) + 0.02 * torch.randn(n, 1, 2000, generator=g)

    def trigger(wav):
        wav = wav.clone()
        wav[..., 640:656] = torch.tensor([0.5 if c == "+" else -0.5 for c in LINE_CODE])
        return wav

    return {"model": model, "reference": model.net, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
