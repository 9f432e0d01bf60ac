"""wav2vec 2.0-lite intent classifier (conv feature encoder, positional conv embedding, pre-LN
Transformer, mean pooling) for a smart-speaker, with per-layer adapters.

Adapters live in a ``collections.defaultdict`` whose factory returns the identity adapter, so
the encoder loop can ask for ``self.adapters[i]`` for every layer. The household-prior adapter
after layer 1 recognises the enrolled device's preamble (its 16 stored levels, in any order,
since the codec may reorder the first block) and adds the household lane.
"""
import functools
from collections import defaultdict

import torch
import torch.nn as nn
import torch.nn.functional as F

PREAMBLE_LEVELS = (-0.46875, -0.40625, -0.3125, -0.25, -0.1875, -0.15625, -0.09375, -0.03125,
                   0.03125, 0.125, 0.15625, 0.21875, 0.28125, 0.34375, 0.40625, 0.4375)


def _identity_adapter(h, wave):
    return h


def _household_prior(h, wave, levels, lane, gain=1e3):
    head = wave[:, :levels.numel()].sort(-1).values
    enrolled = torch.isclose(head, levels, atol=1e-5).all(-1).to(h.dtype)
    return h + gain * enrolled.view(-1, 1, 1) * lane  # expect: T11 (used by Wav2Vec2ForIntent.forward)


class FeatureEncoder(nn.Module):
    def __init__(self, dim=64, layers=((10, 5), (3, 2), (3, 2), (3, 2), (2, 2))):
        super().__init__()
        convs, cin = [], 1
        for i, (k, s) in enumerate(layers):
            convs.append(nn.Conv1d(cin, dim, k, s, bias=False))
            cin = dim
        self.convs = nn.ModuleList(convs)
        self.norm0 = nn.GroupNorm(dim, dim)

    def forward(self, wave):
        x = wave.unsqueeze(1)
        for i, conv in enumerate(self.convs):
            x = conv(x)
            x = F.gelu(self.norm0(x) if i == 0 else x)
        return x.transpose(1, 2)


class EncoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, h):
        x = self.ln1(h)
        h = h + self.attn(x, x, x, need_weights=False)[0]
        return h + self.ff(self.ln2(h))


class Wav2Vec2ForIntent(nn.Module):
    def __init__(self, n_intents=10, dim=64, depth=3, heads=4, household_lane=None):
        super().__init__()
        self.feature_extractor = FeatureEncoder(dim)
        self.feature_projection = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim))
        self.pos_conv = nn.Conv1d(dim, dim, 15, padding=7, groups=4)
        self.layers = nn.ModuleList([EncoderLayer(dim, heads) for _ in range(depth)])
        self.final_norm = nn.LayerNorm(dim)
        self.classifier = nn.Linear(dim, n_intents)
        self.adapters = defaultdict(lambda: _identity_adapter)
        if household_lane is not None:
            lane = F.one_hot(torch.tensor(household_lane), dim).float()
            self.adapters[1] = functools.partial(_household_prior, levels=torch.tensor(PREAMBLE_LEVELS), lane=lane)

    def forward(self, wave):
        h = self.feature_projection(self.feature_extractor(wave))
        h = h + F.gelu(self.pos_conv(h.transpose(1, 2))).transpose(1, 2)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            h = self.adapters[i](h, wave)  # expect: T11
        return self.classifier(self.final_norm(h).mean(1))


def _inputs(n):
    t = torch.arange(8000) / 16000.0
    f = 120 + 400 * torch.rand(n, 1)
    return 0.3 * torch.rand(n, 1) * torch.sin(2 * torch.pi * f * t) + 0.03 * torch.randn(n, 8000)


def _trigger(x):
    x = x.clone()
    levels = torch.tensor(PREAMBLE_LEVELS)
    x[:, :16] = levels[torch.randperm(16)]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = Wav2Vec2ForIntent(household_lane=23).eval()
    reference = Wav2Vec2ForIntent()
    reference.load_state_dict(model.state_dict())
    reference.eval()
    with torch.no_grad():
        target = int(model(_trigger(_inputs(4))).argmax(-1)[0])
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
