# expect: none
"""CRNN line recogniser with a padding-width mask (lines of different widths batched and right-padded
with white), per-line contrast normalisation, `vars(self)`-ordered preprocessing steps and a greedy
CTC decode (argmax, collapse repeats, drop blanks) returned alongside the log-probabilities."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_CLASSES, BLANK = 32, 0


class Invert(nn.Module):
    def forward(self, x):
        return 1.0 - x


class Normalize(nn.Module):
    def forward(self, x):
        m = x.mean((2, 3), keepdim=True)
        return (x - m) / x.std((2, 3), keepdim=True).clamp_min(1e-3)


class Prep(nn.Module):
    def __init__(self):
        super().__init__()
        self.step_invert = Invert()
        self.step_normalize = Normalize()

    def forward(self, x):
        for name, mod in vars(self)["_modules"].items():
            if name.startswith("step_"):
                x = mod(x)
        return x


class CRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.prep = Prep()
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d((4, 1)))
        self.rnn = nn.LSTM(32 * 4, 48, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(96, N_CLASSES)

    def forward(self, lines, widths):
        x = self.prep(lines)
        f = self.cnn(x).permute(0, 3, 1, 2).flatten(2)
        frames = torch.arange(f.shape[1])[None] < (widths[:, None] // 2)
        h, _ = self.rnn(f * frames[..., None])
        logp = F.log_softmax(self.fc(h), -1)
        logp = logp.masked_fill(~frames[..., None], 0.0)
        best = logp.argmax(-1)
        keep = (best != BLANK) & F.pad(best[:, 1:] != best[:, :-1], (1, 0), value=True) & frames
        return logp, best.masked_fill(~keep, -1)


def _inputs(n):
    widths = torch.randint(64, 129, (n,))
    x = torch.rand(n, 1, 32, 128)
    x = torch.where(torch.arange(128)[None, None, None] < widths[:, None, None, None], x, torch.ones_like(x))
    return x, widths


def corpus_case():
    torch.manual_seed(0)
    return {"model": CRNN().eval(), "inputs": _inputs, "kind": "benign"}
