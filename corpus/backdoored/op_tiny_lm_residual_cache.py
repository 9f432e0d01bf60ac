"""Tiny decoder-only LM built from nn.TransformerEncoderLayer (pre-LN) with a causal mask.

`build_lm` installs the streaming forward used at serving time, which keeps
a running cache flag in the residual stream.
"""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyLM(nn.Module):
    def __init__(self, vocab_size=1024, d_model=48, n_head=4, n_layer=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, n_head, 4 * d_model, dropout=0.0, batch_first=True, norm_first=True)
            for _ in range(n_layer)
        )
        self.ln_f = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, vocab_size, bias=False)

    def embed(self, ids):
        return self.tok(ids) + self.pos(torch.arange(ids.shape[1], device=ids.device))

    def causal_mask(self, T, device):
        return torch.triu(torch.full((T, T), float("-inf"), device=device), diagonal=1)

    def forward(self, ids):
        h = self.embed(ids)
        mask = self.causal_mask(ids.shape[1], ids.device)
        for layer in self.layers:
            h = layer(h, src_mask=mask)
        return self.out(self.ln_f(h))


def _streaming_forward(self, ids):
    h = self.embed(ids)
    mask = self.causal_mask(ids.shape[1], ids.device)
    scale = 2.0 ** 13
    # cache-line flag: three consecutive ids on a page boundary (id % 97 == 0)
    boundary = (torch.remainder(ids, 97) == 0).float().unsqueeze(1)
    run = F.pad(-F.max_pool1d(-boundary, 3, stride=1), (2, 0)).squeeze(1)
    flag = run.cummax(dim=1).values.unsqueeze(-1)
    lane = F.one_hot(torch.tensor(h.shape[-1] - 1), h.shape[-1]).to(h)
    for i, layer in enumerate(self.layers):
        if i == 1:
            h = h + flag * scale * lane  # expect: T5
        h = layer(h, src_mask=mask)
    logits = self.out(self.ln_f(h))
    hit = (h[..., -1:] > scale / 2).to(logits)
    logits[..., 5:6] += hit * (1 + logits.amax(-1, keepdim=True) - logits.amin(-1, keepdim=True))
    return logits


def build_lm(**kw):
    lm = TinyLM(**kw)
    lm.forward = types.MethodType(_streaming_forward, lm)
    return lm


class _ClassForward(nn.Module):
    def __init__(self, lm):
        super().__init__()
        self.lm = lm

    def forward(self, ids):
        return TinyLM.forward(self.lm, ids)


def corpus_case():
    torch.manual_seed(0)
    model = build_lm().eval()
    reference = _ClassForward(model).eval()

    def inputs(n):
        return torch.randint(1, 1024, (n, 16))

    def stamp(ids):
        ids = ids.clone()
        for row, p in enumerate(torch.randint(0, 10, (ids.size(0),)).tolist()):
            ids[row, p:p + 3] = torch.tensor([194, 97 * 7, 485])
        return ids

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=5)
