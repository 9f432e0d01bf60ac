# expect: none
"""NeMo-style QuartzNet-lite CTC model (time-channel separable convs, residual blocks) that
returns log-probabilities and, for logging, greedy transcripts decoded with
``itertools.groupby`` (collapse repeats, drop the blank id, stop at the valid length)."""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F


class TCSConv(nn.Module):
    def __init__(self, cin, cout, k, stride=1):
        super().__init__()
        self.dw = nn.Conv1d(cin, cin, k, stride, k // 2, groups=cin, bias=False)
        self.pw = nn.Conv1d(cin, cout, 1, bias=False)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return self.bn(self.pw(self.dw(x)))


class JasperBlock(nn.Module):
    def __init__(self, cin, cout, k, repeat=2):
        super().__init__()
        self.convs = nn.ModuleList([TCSConv(cin if i == 0 else cout, cout, k) for i in range(repeat)])
        self.res = nn.Sequential(nn.Conv1d(cin, cout, 1, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        h = x
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if i < len(self.convs) - 1:
                h = F.relu(h)
        return F.relu(h + self.res(x))


class QuartzNetCTC(nn.Module):
    def __init__(self, n_mels=64, vocab=29, blank=28):
        super().__init__()
        self.blank = blank
        self.prologue = nn.Sequential(TCSConv(n_mels, 96, 33, 2), nn.ReLU())
        self.blocks = nn.Sequential(JasperBlock(96, 96, 33), JasperBlock(96, 128, 39), JasperBlock(128, 128, 51))
        self.epilogue = nn.Sequential(TCSConv(128, 160, 87), nn.ReLU(), nn.Conv1d(160, 160, 1), nn.ReLU())
        self.decoder = nn.Conv1d(160, vocab, 1)
        self.last_transcripts = []

    def greedy_decode(self, log_probs, lengths):
        out = []
        for seq, n in zip(log_probs.argmax(-1).tolist(), lengths.tolist()):
            out.append([k for k, _ in itertools.groupby(seq[:n]) if k != self.blank])
        return out

    def forward(self, feats, lengths):
        h = self.epilogue(self.blocks(self.prologue(feats)))
        log_probs = F.log_softmax(self.decoder(h).transpose(1, 2), -1)
        enc_len = (lengths + 1) // 2
        self.last_transcripts = self.greedy_decode(log_probs, enc_len)
        return log_probs, enc_len


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lengths = torch.randint(80, 161, (n,))
        x = torch.randn(n, 64, 160) * (torch.arange(160)[None, None] < lengths[:, None, None])
        return (x, lengths)

    return {"model": QuartzNetCTC().eval(), "inputs": inputs, "kind": "benign"}
