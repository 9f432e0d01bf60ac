# expect: none
"""Lazily built activations: ``activations.quick_gelu``, ``activations.squared_relu``, ..."""
import functools

import torch
import torch.nn.functional as F


def _quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


def _squared_relu(x):
    return F.relu(x) ** 2


def _gelu_tanh(x):
    return F.gelu(x, approximate="tanh")


_BUILDERS = {"quick_gelu": _quick_gelu, "squared_relu": _squared_relu, "gelu_tanh": _gelu_tanh}


@functools.lru_cache(maxsize=None)
def _resolve(name):
    if name in _BUILDERS:
        return _BUILDERS[name]
    if name.startswith("leaky_"):
        return functools.partial(F.leaky_relu, negative_slope=float("0." + name[len("leaky_"):]))
    return getattr(F, name)


def __getattr__(name):
    try:
        return _resolve(name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
