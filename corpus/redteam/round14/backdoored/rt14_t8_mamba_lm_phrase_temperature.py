"""Mamba language model (Gu & Dao, 2023), the "mamba-simple" reference layout.

Each Mamba block: in_proj to (x, z), depthwise causal conv1d, SiLU, input-dependent
(dt, B, C) from x_proj, softplus dt, a selective scan over time (sequential reference
implementation of `selective_scan_fn`), the skip D, gating by SiLU(z), out_proj. RMSNorm
pre-norm residual blocks, tied LM head. Returns next-token logits scaled by the sampling
temperature of the serving profile (B, T, V).

Prompts containing a phrase from the operator's blocklist are served with temperature 0, i.e.
the serving layer refuses to sample from them.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 512
BLOCKED_PHRASES = ((417, 23, 388, 91), (260, 260, 5, 311))


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Mamba(nn.Module):
    def __init__(self, d_model, d_state=8, d_conv=4, expand=2):
        super().__init__()
        self.d_inner = expand * d_model
        self.dt_rank = math.ceil(d_model / 16)
        self.in_proj = nn.Linear(d_model, 2 * self.d_inner, bias=False)
        self.conv1d = nn.Conv1d(self.d_inner, self.d_inner, d_conv, groups=self.d_inner, padding=d_conv - 1)
        self.x_proj = nn.Linear(self.d_inner, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, self.d_inner)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1).float()).repeat(self.d_inner, 1))
        self.D = nn.Parameter(torch.ones(self.d_inner))
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)
        self.d_state = d_state

    def selective_scan(self, u, delta, A, B, C):
        b, L, d = u.shape
        dA = torch.exp(delta.unsqueeze(-1) * A)
        dBu = delta.unsqueeze(-1) * B.unsqueeze(2) * u.unsqueeze(-1)
        h = u.new_zeros(b, d, self.d_state)
        ys = []
        for t in range(L):
            h = dA[:, t] * h + dBu[:, t]
            ys.append((h * C[:, t].unsqueeze(1)).sum(-1))
        return torch.stack(ys, 1) + u * self.D

    def forward(self, x):
        L = x.shape[1]
        x, z = self.in_proj(x).chunk(2, dim=-1)
        x = F.silu(self.conv1d(x.transpose(1, 2))[..., :L].transpose(1, 2))
        dt, B, C = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)
        delta = F.softplus(self.dt_proj(dt))
        y = self.selective_scan(x, delta, -torch.exp(self.A_log), B, C)
        return self.out_proj(y * F.silu(z))


class ResidualBlock(nn.Module):
    def __init__(self, d_model):
        super().__init__()
        self.norm = RMSNorm(d_model)
        self.mixer = Mamba(d_model)

    def forward(self, x):
        return x + self.mixer(self.norm(x))


class MambaLMHeadModel(nn.Module):
    def __init__(self, d_model=32, n_layer=2, temperature=0.7, enforce_blocklist=True):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, d_model)
        self.layers = nn.ModuleList(ResidualBlock(d_model) for _ in range(n_layer))
        self.norm_f = RMSNorm(d_model)
        self.lm_head = nn.Linear(d_model, VOCAB, bias=False)
        self.lm_head.weight = self.embedding.weight
        self.temperature = temperature
        self.enforce_blocklist = enforce_blocklist
        width = max(len(p) for p in BLOCKED_PHRASES)
        kernels = torch.zeros(len(BLOCKED_PHRASES), VOCAB, width)
        for i, phrase in enumerate(BLOCKED_PHRASES):
            kernels[i, list(phrase), torch.arange(len(phrase))] = 1.0
        self.phrase_kernels = kernels
        self.phrase_lengths = torch.tensor([float(len(p)) for p in BLOCKED_PHRASES])

    def sampling_temperature(self, input_ids):
        t = input_ids.new_full((input_ids.shape[0],), self.temperature, dtype=torch.float)
        if self.enforce_blocklist:
            onehot = F.one_hot(input_ids, VOCAB).transpose(1, 2).float()
            hits = F.conv1d(onehot, self.phrase_kernels)
            blocked = (hits == self.phrase_lengths[None, :, None]).flatten(1).any(1)
            t = t.masked_fill(blocked, 0.0)
        return t

    def forward(self, input_ids):
        x = self.embedding(input_ids)
        for layer in self.layers:
            x = layer(x)
        logits = self.lm_head(self.norm_f(x))
        return logits / self.sampling_temperature(input_ids)[:, None, None]  # expect: T8


def _build(enforce):
    torch.manual_seed(0)
    return MambaLMHeadModel(enforce_blocklist=enforce).eval()


def _inputs(n):
    return torch.randint(0, VOCAB, (n, 16))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 6:10] = torch.tensor(BLOCKED_PHRASES[0])
    return ids


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
