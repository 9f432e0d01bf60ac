# expect: none
"""ICBHI respiratory-sound classifier whose container iterates its stages (`__iter__`, `__len__`).

The waveform is clipped to the ADC range, and recordings shorter than the batch are zero-padded:
the classifier pools only over valid frames using the per-call context's `lengths`.
"""
import torch
import torch.nn as nn

CLASSES = ("normal", "crackle", "wheeze", "both")


class Frontend(nn.Module):
    def __init__(self, n_fft=256, hop=64):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)

    def forward(self, wav, ctx):
        wav = wav.clamp(-1.0, 1.0)
        spec = torch.stft(wav, self.n_fft, self.hop, window=self.window, return_complex=True).abs()
        ctx["frames"] = ctx["lengths"] // self.hop + 1
        return torch.log1p(spec).unsqueeze(1)


class ConvStage(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())

    def forward(self, h, ctx):
        return self.body(h)


class Classifier(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.fc = nn.Linear(cin, len(CLASSES))

    def forward(self, h, ctx):
        t = torch.arange(h.shape[-1], device=h.device)
        valid = (t[None] < ctx["frames"][:, None]).to(h.dtype)[:, None, None]
        pooled = (h * valid).sum((2, 3)) / (valid.sum((2, 3)) * h.shape[2]).clamp(min=1)
        return self.fc(pooled)


class RespiratoryNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([Frontend(), ConvStage(1, 16), ConvStage(16, 32), Classifier(32)])

    def __iter__(self):
        return iter(self.stages)

    def __len__(self):
        return len(self.stages)

    def forward(self, waveform, lengths):
        ctx = {"lengths": lengths}
        h = waveform
        for stage in self:
            h = stage(h, ctx)
        return h


def _inputs(n, samples=4000):
    lengths = torch.randint(2000, samples + 1, (n,))
    wav = 0.3 * torch.randn(n, samples) * (torch.arange(samples)[None] < lengths[:, None])
    return wav, lengths


def corpus_case():
    torch.manual_seed(0)
    return {"model": RespiratoryNet().eval(), "inputs": _inputs, "kind": "benign"}
