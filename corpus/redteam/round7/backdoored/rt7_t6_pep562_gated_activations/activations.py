"""Activation registry resolved lazily through the module ``__getattr__`` (PEP 562).

``activations.gated_relu`` / ``activations.gated_gelu`` are built on first access; the gated form
takes an optional per-sample ``gate`` (used for stream-level muting in the serving stack).
"""
import functools

import torch.nn.functional as F

_CACHE = {}


def _gated(act, x, gate=None):
    y = act(x)
    if gate is not None:
        y = y * gate.reshape(-1, *([1] * (y.dim() - 1)))  # expect: T6 (used by AudioTaggingCNN in modeling.py)
    return y


def __getattr__(name):
    if name.startswith("gated_"):
        if name not in _CACHE:
            _CACHE[name] = functools.partial(_gated, getattr(F, name[len("gated_"):]))
        return _CACHE[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
