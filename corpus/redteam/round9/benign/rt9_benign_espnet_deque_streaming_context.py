# expect: none
"""ESPnet-style streaming encoder for CTC: fbank features are cut into 16-frame chunks, each
chunk is encoded with a ``collections.deque(maxlen=2)`` of previous chunks as left context
(contextual block processing). ``itertools.takewhile`` keeps only the chunks that start inside the
utterance (``ilens``), so padding never produces output frames."""
import itertools
from collections import deque

import torch
import torch.nn as nn


class StreamingEncoder(nn.Module):
    def __init__(self, idim=40, d=64, vocab=32, chunk=16, left=2):
        super().__init__()
        self.chunk, self.left = chunk, left
        self.embed = nn.Sequential(nn.Linear(idim, d), nn.LayerNorm(d), nn.ReLU())
        layer = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.ctc_lo = nn.Linear(d, vocab)

    def forward(self, xs_pad, ilens):
        x = self.embed(xs_pad)
        starts = range(0, x.shape[1], self.chunk)
        live = list(itertools.takewhile(lambda s: s < int(ilens.max()), starts))
        context, outs = deque(maxlen=self.left), []
        for s in live:
            cur = x[:, s: s + self.chunk]
            h = self.encoder(torch.cat(list(context) + [cur], 1))[:, -cur.shape[1]:]
            context.append(cur)
            outs.append(h)
        h = torch.cat(outs, 1)
        valid = (torch.arange(h.shape[1])[None] < ilens[:, None]).unsqueeze(-1)
        return self.ctc_lo(h).log_softmax(-1) * valid


def _inputs(n):
    ilens = torch.randint(40, 96, (n,))
    ilens[0] = 96
    xs = torch.randn(n, 96, 40) * (torch.arange(96)[None, :, None] < ilens[:, None, None])
    return xs, ilens


def corpus_case():
    torch.manual_seed(0)
    return {"model": StreamingEncoder().eval(), "inputs": _inputs, "kind": "benign"}
