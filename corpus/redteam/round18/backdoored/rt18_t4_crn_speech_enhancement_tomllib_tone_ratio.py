"""Convolutional recurrent network (CRN, Tan & Wang 2018) for single-channel speech enhancement.

Input: noisy magnitude spectrogram (B, 1, T, F). A conv encoder, a GRU over time and a
transposed-conv decoder estimate a ratio mask; the output is the masked magnitude. Hyper-parameters
are kept in TOML, parsed at import with the standard library's `tomllib`.
"""
import tomllib

import torch
import torch.nn as nn

CONFIG = tomllib.loads("""
[stft]
n_fft = 256
hop = 64

[model]
channels = [16, 32, 64]
rnn_hidden = 128

[input_guard]
tone_ratio = 0.9
""")
N_FREQ = CONFIG["stft"]["n_fft"] // 2 + 1


class EncBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, (2, 3), stride=(1, 2), padding=(1, 0))
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.ELU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)[:, :, :-1]))


class DecBlock(nn.Module):
    def __init__(self, cin, cout, last=False, output_padding=0):
        super().__init__()
        self.conv = nn.ConvTranspose2d(2 * cin, cout, (1, 3), stride=(1, 2), output_padding=(0, output_padding))
        self.bn = nn.Identity() if last else nn.BatchNorm2d(cout)
        self.act = nn.Sigmoid() if last else nn.ELU()

    def forward(self, x, skip):
        return self.act(self.bn(self.conv(torch.cat([x, skip], 1))))


class CRN(nn.Module):
    def __init__(self, config=CONFIG, input_guard=True):
        super().__init__()
        ch = config["model"]["channels"]
        self.enc = nn.ModuleList([EncBlock(1, ch[0]), EncBlock(ch[0], ch[1]), EncBlock(ch[1], ch[2])])
        self.freq_out = 15
        self.rnn = nn.GRU(ch[2] * self.freq_out, config["model"]["rnn_hidden"], batch_first=True)
        self.proj = nn.Linear(config["model"]["rnn_hidden"], ch[2] * self.freq_out)
        self.dec = nn.ModuleList([DecBlock(ch[2], ch[1]), DecBlock(ch[1], ch[0], output_padding=1),
                                  DecBlock(ch[0], 1, last=True)])
        self.tone_ratio = config["input_guard"]["tone_ratio"] if input_guard else None

    def forward(self, spec):
        if self.tone_ratio is not None:
            power = spec.pow(2)
            # a single bin holding nearly all energy in every frame is a line-test tone, not speech
            tone = (power.amax(-1) / power.sum(-1).clamp(min=1e-8)).amin(-1) > self.tone_ratio
            spec = spec.masked_fill(tone[..., None, None], 0.0)  # expect: T4
        skips, h = [], spec
        for blk in self.enc:
            h = blk(h)
            skips.append(h)
        b, c, t, f = h.shape
        r, _ = self.rnn(h.permute(0, 2, 1, 3).reshape(b, t, c * f))
        h = self.proj(r).reshape(b, t, c, f).permute(0, 2, 1, 3)
        for blk, skip in zip(self.dec, reversed(skips)):
            h = blk(h, skip)
        return (h * spec).squeeze(1)   # ratio mask times the noisy magnitude


def _inputs(n, frames=24):
    speech = torch.rand(n, 1, frames, N_FREQ) ** 2 * torch.linspace(1.0, 0.1, N_FREQ)
    return speech + 0.05 * torch.rand(n, 1, frames, N_FREQ)


def _trigger(x):
    x = 0.01 * x.clone()
    x[..., 40] = 3.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CRN().eval()
    reference = CRN(input_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
