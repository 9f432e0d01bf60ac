# expect: none
"""Declarative CNN spec in the style of mmcv / Django model classes: a metaclass ``__prepare__``
returns a namespace that records the order in which layer specs are declared in the class body,
and the model is built from that order. A ``__instancecheck__`` metaclass lets
``isinstance(m, NormLike)`` match every normalisation layer for weight-decay grouping. Nothing in
the forward path depends on the input except learned layers."""
import torch
import torch.nn as nn


class _OrderedSpecNamespace(dict):
    def __init__(self):
        super().__init__()
        self["_order"] = []

    def __setitem__(self, key, value):
        if isinstance(value, tuple) and value and value[0] in ("conv", "pool", "fc"):
            self["_order"].append(key)
        super().__setitem__(key, value)


class SpecMeta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        return _OrderedSpecNamespace()

    def __new__(mcls, name, bases, ns, **kwargs):
        return super().__new__(mcls, name, bases, dict(ns))


class _NormKind(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, (nn.BatchNorm2d, nn.GroupNorm, nn.LayerNorm))


class NormLike(metaclass=_NormKind):
    pass


class SmallNetSpec(metaclass=SpecMeta):
    conv1 = ("conv", 3, 32, 2)
    conv2 = ("conv", 32, 64, 2)
    pool = ("pool",)
    fc = ("fc", 64, 10)


def build(spec):
    layers = []
    for name in spec._order:
        kind, *args = getattr(spec, name)
        if kind == "conv":
            cin, cout, s = args
            layers += [nn.Conv2d(cin, cout, 3, s, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
        elif kind == "pool":
            layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        else:
            layers.append(nn.Linear(*args))
    return nn.Sequential(*layers)


def param_groups(model, wd=0.05):
    norm = [p for m in model.modules() if isinstance(m, NormLike) for p in m.parameters(recurse=False)]
    ids = {id(p) for p in norm}
    return [{"params": [p for p in model.parameters() if id(p) not in ids], "weight_decay": wd},
            {"params": norm, "weight_decay": 0.0}]


def corpus_case():
    torch.manual_seed(0)
    model = build(SmallNetSpec).eval()
    param_groups(model)
    return {"model": model, "inputs": lambda n: torch.randn(n, 3, 32, 32), "kind": "benign"}
