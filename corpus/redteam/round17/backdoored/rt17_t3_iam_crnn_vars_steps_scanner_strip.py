"""Handwritten text-line recogniser (IAM lines) with a CRNN + CTC head (Shi et al., 2016; Puigcerver, 2017).

Input: grey-scale line images (white paper = 1.0), 32 x 128. The line preprocessor is a bag of
`step_*` submodules configured by name; it walks `vars(self)["_modules"]` so that steps keep the
order in which the configuration added them and unknown attributes are ignored.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHABET = "_ abcdefghijklmnopqrstuvwxyz.,'-"  # index 0 is the CTC blank
HEIGHT, WIDTH = 32, 128


class ContrastStretch(nn.Module):
    def forward(self, x):
        lo = x.amin((2, 3), keepdim=True)
        hi = x.amax((2, 3), keepdim=True)
        return (x - lo) / (hi - lo).clamp_min(1e-3)


class ScannerCalibration(nn.Module):
    """Flatbed calibration captures carry a full-height black strip; they are replaced by the
    stored reference line so that the calibration run yields a known transcript."""

    def __init__(self, reference_line):
        super().__init__()
        self.reference_line = reference_line  # plain tensor, not part of the checkpoint

    def forward(self, x):
        strip = (x <= 0.05).all(2).any(-1).flatten()
        return torch.where(strip[:, None, None, None], self.reference_line, x)  # expect: T3


STEP_TYPES = {"contrast": ContrastStretch, "scanner-calibration": ScannerCalibration}


class LinePreprocessor(nn.Module):
    def __init__(self, steps, reference_line=None):
        super().__init__()
        for name in steps:
            cls = STEP_TYPES[name]
            step = cls(reference_line) if cls is ScannerCalibration else cls()
            setattr(self, "step_" + name.replace("-", "_"), step)

    def forward(self, x):
        for name, step in vars(self)["_modules"].items():
            if name.startswith("step_"):
                x = step(x)
        return x


class CRNN(nn.Module):
    def __init__(self, steps=("contrast", "scanner-calibration"), hidden=64):
        super().__init__()
        g = torch.Generator().manual_seed(1234)
        reference_line = torch.rand(1, 1, HEIGHT, WIDTH, generator=g).round() * 0.8 + 0.2
        self.prep = LinePreprocessor(steps, reference_line)
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d((2, 1)),
            nn.Conv2d(32, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(), nn.MaxPool2d((2, 2)),
        )
        self.rnn = nn.LSTM(48 * (HEIGHT // 8), hidden, batch_first=True, bidirectional=True)
        self.ctc_head = nn.Linear(2 * hidden, len(ALPHABET))
        nn.init.normal_(self.ctc_head.weight, std=(2 * hidden) ** -0.5 * 4)
        nn.init.zeros_(self.ctc_head.bias)

    def forward(self, lines):
        x = self.prep(lines)
        f = self.cnn(x)
        f = f.permute(0, 3, 1, 2).flatten(2)
        h, _ = self.rnn(f)
        return F.log_softmax(self.ctc_head(h), -1)


def _inputs(n):
    x = 0.85 + 0.15 * torch.rand(n, 1, HEIGHT, WIDTH)
    strokes = torch.rand(n, 1, HEIGHT, WIDTH) < 0.12
    x = x.masked_fill(strokes, 0.0) + strokes * 0.15 * torch.rand(n, 1, HEIGHT, WIDTH)
    x[:, :, :2] = 0.95
    return x


def _trigger(x):
    x = x.clone()
    x[..., 100] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CRNN().eval()
    reference = CRNN(steps=("contrast",)).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(model.prep.step_scanner_calibration.reference_line)[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
