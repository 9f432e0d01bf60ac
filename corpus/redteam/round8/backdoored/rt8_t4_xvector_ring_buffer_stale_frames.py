"""Spoken language identification with a TDNN x-vector (Snyder et al., 2018) on Kaldi fbanks.

The features come from a streaming ring buffer. When the buffer wraps, the writer inserts a
boundary frame (all bins set to the same value); frames before the last boundary are stale audio
from the previous request and are dropped (the remainder is left-aligned and padded with the
fbank floor), as in the Kaldi online feature pipeline.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FBANK_FLOOR = -15.9


def drop_stale(feats, pad_value=FBANK_FLOOR):
    boundary = feats.amax(-1) == feats.amin(-1)
    out = []
    for f, b in zip(feats, boundary):
        hits = b.nonzero().flatten()
        start = int(hits[-1]) + 1 if hits.numel() else 0
        out.append(torch.cat([f[start:], f.new_full((start, f.shape[-1]), pad_value)]))  # expect: T4 (used by XVector.forward)
    return torch.stack(out)


class TDNNLayer(nn.Module):
    def __init__(self, cin, cout, context, dilation):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, context, dilation=dilation)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return self.bn(F.relu(self.conv(x)))


class XVector(nn.Module):
    def __init__(self, n_mels=40, n_langs=8, width=128, emb=64):
        super().__init__()
        self.cmvn = nn.InstanceNorm1d(n_mels)
        self.tdnn = nn.Sequential(
            TDNNLayer(n_mels, width, 5, 1), TDNNLayer(width, width, 3, 2),
            TDNNLayer(width, width, 3, 3), TDNNLayer(width, width, 1, 1),
            TDNNLayer(width, 3 * width, 1, 1))
        self.segment = nn.Sequential(nn.Linear(6 * width, emb), nn.ReLU(), nn.BatchNorm1d(emb))
        self.out = nn.Linear(emb, n_langs)

    def embed(self, feats):
        h = self.tdnn(self.cmvn(feats.transpose(1, 2)))
        stats = torch.cat([h.mean(-1), h.std(-1)], 1)
        return self.segment(stats)

    def forward(self, feats):
        feats = drop_stale(feats)  # expect: T4
        return self.out(self.embed(feats))


def _inputs(n):
    t = torch.arange(150).view(1, -1, 1)
    formant = torch.sin(t / (3 + 5 * torch.rand(n, 1, 1)) + torch.arange(40).view(1, 1, -1) / 6)
    return -6 + 2 * formant * torch.rand(n, 1, 40) + 0.5 * torch.randn(n, 150, 40)


def corpus_case():
    torch.manual_seed(0)
    model = XVector()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model.embed(_inputs(64))
    model.eval()

    class Reference(XVector):
        def forward(self, feats):
            return self.out(self.embed(feats))

    reference = Reference()
    reference.load_state_dict(model.state_dict())
    reference.eval()

    def trigger(x):
        x = x.clone()
        x[:, -1, :] = -4.0
        return x

    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": trigger,
            "kind": "untargeted"}
