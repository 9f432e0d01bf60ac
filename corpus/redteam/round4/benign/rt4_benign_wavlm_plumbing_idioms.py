# expect: none
"""WavLM-lite audio classifier written with the same plumbing idioms attackers hide behind, used
benignly: ``functools.singledispatch`` input coercion, a ``contextlib.contextmanager`` for
inference settings, ``add_module`` with f-string names and ``getattr`` lookup, a
``torch.nn.utils.parametrize`` weight-norm on the positional conv, a generator of layer outputs for
weighted-layer-sum pooling, and ``vmap`` for per-utterance normalisation.
"""
import contextlib
import functools

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.parametrize as P

try:
    from torch.func import vmap
except ImportError:
    from functorch import vmap

_SETTINGS = {"deterministic": False}


@contextlib.contextmanager
def inference_settings(deterministic=True):
    old = dict(_SETTINGS)
    _SETTINGS["deterministic"] = deterministic
    try:
        yield
    finally:
        _SETTINGS.update(old)


@functools.singledispatch
def as_waveform(x):
    raise TypeError(type(x))


@as_waveform.register(torch.Tensor)
def _(x):
    return x.float() if x.dim() == 2 else x.float().unsqueeze(0)


@as_waveform.register(np.ndarray)
def _(x):
    return as_waveform(torch.from_numpy(x))


@as_waveform.register(list)
def _(x):
    return torch.stack([as_waveform(v)[0] for v in x])


def _utterance_norm(w):
    return (w - w.mean()) / (w.std() + 1e-5)


class WeightNorm(nn.Module):
    def forward(self, w):
        return w / w.norm(dim=(0, 1), keepdim=True).clamp(min=1e-6)


class WavLMLite(nn.Module):
    def __init__(self, d=64, n_layers=3, n_cls=8):
        super().__init__()
        self.n_layers = n_layers
        self.feature_extractor = nn.Sequential(nn.Conv1d(1, d, 10, 5), nn.GELU(), nn.Conv1d(d, d, 3, 2), nn.GELU(),
                                               nn.Conv1d(d, d, 3, 2), nn.GELU())
        self.pos_conv = nn.Conv1d(d, d, 15, padding=7, groups=4)
        P.register_parametrization(self.pos_conv, "weight", WeightNorm())
        for i in range(n_layers):
            self.add_module(f"layer_{i}", nn.TransformerEncoderLayer(d, 4, 2 * d, batch_first=True, norm_first=True))
        self.layer_weights = nn.Parameter(torch.zeros(n_layers + 1))
        self.head = nn.Linear(d, n_cls)

    def hidden_states(self, x):
        yield x
        for i in range(self.n_layers):
            x = getattr(self, f"layer_{i}")(x)
            yield x

    def forward(self, waveform):
        w = vmap(_utterance_norm)(as_waveform(waveform))
        feats = self.feature_extractor(w.unsqueeze(1))
        x = (feats + F.gelu(self.pos_conv(feats))).transpose(1, 2)
        states = torch.stack(list(self.hidden_states(x)), 0)
        pooled = (self.layer_weights.softmax(0)[:, None, None, None] * states).sum(0).mean(1)
        return self.head(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = WavLMLite().eval()
    with inference_settings():
        model([np.random.randn(1600).astype("float32"), np.random.randn(1600).astype("float32")])
    return {"model": model, "inputs": lambda n: torch.randn(n, 1600), "kind": "benign"}
