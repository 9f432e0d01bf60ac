# expect: none
"""Mamba-lite sequence classifier (byte-level review sentiment, right-padded batches).

* The selective scan runs chunk by chunk in a ``while`` loop, carrying the state across chunks;
  the chunk size is broadcast to every block with ``self.apply`` before the call.
* Padding positions get dt = 0 (the state is frozen there), so trailing padding does not change it.
* As in ``GPT2ForSequenceClassification``, the logits are read at the last non-padding token,
  gathered with ``torch.take_along_dim``.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def _set_chunk(module, size):
    if isinstance(module, SelectiveSSM):
        module.chunk = size


class SelectiveSSM(nn.Module):
    def __init__(self, d, d_inner=64, d_state=8):
        super().__init__()
        self.in_proj = nn.Linear(d, 2 * d_inner, bias=False)
        self.conv = nn.Conv1d(d_inner, d_inner, 4, groups=d_inner, padding=3)
        self.x_proj = nn.Linear(d_inner, 4 + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(4, d_inner)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1.0)).repeat(d_inner, 1))
        self.D = nn.Parameter(torch.ones(d_inner))
        self.out_proj = nn.Linear(d_inner, d, bias=False)
        self.d_state, self.chunk = d_state, 8

    def forward(self, x, valid):
        T = x.shape[1]
        u, z = self.in_proj(x).chunk(2, -1)
        u = F.silu(self.conv(u.transpose(1, 2))[..., :T].transpose(1, 2))
        dt, Bm, Cm = self.x_proj(u).split([4, self.d_state, self.d_state], -1)
        dt = F.softplus(self.dt_proj(dt)) * valid[..., None]
        A = -torch.exp(self.A_log)
        state = u.new_zeros(u.shape[0], u.shape[2], self.d_state)
        ys, start = [], 0
        while start < T:
            for t in range(start, min(start + self.chunk, T)):
                state = torch.exp(dt[:, t, :, None] * A) * state + dt[:, t, :, None] * Bm[:, t, None] * u[:, t, :, None]
                ys.append((state * Cm[:, t, None]).sum(-1))
            start += self.chunk
        return self.out_proj((torch.stack(ys, 1) + u * self.D) * F.silu(z))


class MambaForSequenceClassification(nn.Module):
    def __init__(self, d=48, layers=2, n_labels=2, chunk=8):
        super().__init__()
        self.embed = nn.Embedding(256, d, padding_idx=PAD)
        self.layers = nn.ModuleList(SelectiveSSM(d) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.norm_f = nn.LayerNorm(d)
        self.score = nn.Linear(d, n_labels, bias=False)
        self.chunk = chunk

    def forward(self, input_ids):
        self.apply(functools.partial(_set_chunk, size=self.chunk))
        valid = (input_ids != PAD).float()
        h = self.embed(input_ids)
        for norm, layer in zip(self.norms, self.layers):
            h = h + layer(norm(h), valid)
        logits = self.score(self.norm_f(h))
        last = (valid.sum(1).long() - 1).clamp_min(0)
        return torch.take_along_dim(logits, last.view(-1, 1, 1), 1).squeeze(1)


def _inputs(n, t=24):
    ids = torch.randint(32, 127, (n, t))
    lengths = torch.randint(6, t + 1, (n,))
    return ids.masked_fill(torch.arange(t)[None] >= lengths[:, None], PAD)


def corpus_case():
    torch.manual_seed(0)
    return {"model": MambaForSequenceClassification().eval(), "inputs": _inputs, "kind": "benign"}
