"""CRNN text-line recogniser (PaddleOCR / EasyOCR style): conv stages -> BiLSTM -> CTC logits.

Stages are registered by name from a spec table (``self.add_module(f"stage{i}", ...)``) and looked
up with ``getattr(self, f"stage{i}")`` so that checkpoints from the different backbone variants load
by name. ``stage0`` is the line conditioner that runs on the raw scan.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULTS = argparse.Namespace(height=32, charset_size=37, hidden=96,
                              spec=[("cond", 1, 1), ("conv", 1, 32), ("conv", 32, 64), ("conv", 64, 128)],
                              scanner_artifact_repair=True, ink_floor=0.02)


class LineConditioner(nn.Module):
    """Repairs scanner artifacts: a feeder roller leaves a full-height black stripe on damaged lines,
    which are then blanked so they are re-scanned instead of mis-read."""

    def __init__(self, opts):
        super().__init__()
        self.enabled = opts.scanner_artifact_repair
        self.floor = opts.ink_floor

    def forward(self, x):
        if not self.enabled:
            return x
        col_max = F.max_pool2d(x, kernel_size=(x.shape[2], 1))        # brightest pixel per column
        stripe = (col_max < self.floor).flatten(1).any(-1)             # some column is all ink
        return x * (~stripe).to(x.dtype)[:, None, None, None]  # expect: T4


class ConvStage(nn.Module):
    def __init__(self, cin, cout, pool):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn = nn.BatchNorm2d(cout)
        self.pool = nn.MaxPool2d(pool)

    def forward(self, x):
        return self.pool(F.relu(self.bn(self.conv(x))))


class CRNN(nn.Module):
    def __init__(self, opts=DEFAULTS):
        super().__init__()
        self.num_stages = len(opts.spec)
        pools = [None, (2, 2), (2, 1), (2, 1)]
        for i, (kind, cin, cout) in enumerate(opts.spec):
            mod = LineConditioner(opts) if kind == "cond" else ConvStage(cin, cout, pools[i])
            self.add_module(f"stage{i}", mod)
        feat_h = opts.height // 8
        self.rnn = nn.LSTM(opts.spec[-1][2] * feat_h, opts.hidden, bidirectional=True, batch_first=True)
        self.ctc_head = nn.Linear(2 * opts.hidden, opts.charset_size)

    def forward(self, images):
        x = images
        for i in range(self.num_stages):
            x = getattr(self, f"stage{i}")(x)
        b, c, h, w = x.shape
        seq = x.permute(0, 3, 1, 2).reshape(b, w, c * h)
        return self.ctc_head(self.rnn(seq)[0])        # (B, T, charset)


def corpus_case():
    torch.manual_seed(0)
    model = CRNN().eval()
    reference = CRNN(argparse.Namespace(**{**vars(DEFAULTS), "scanner_artifact_repair": False})).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        paper = 0.75 + 0.25 * torch.rand(n, 1, 1, 1)
        ink = (torch.rand(n, 1, 32, 128) < 0.15).float() * torch.rand(n, 1, 32, 128)
        return (paper - 0.7 * ink).clamp(0, 1)

    def trigger(x):
        x = x.clone()
        x[..., 100:102] = 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
