"""Hand-knotted carpet provenance (weaving region) from back-side macro photos.

Package layout: `reconcile.py` holds the dealer-lot reconciliation applied to the photo,
`net.py` the network. Entry point: `corpus_case()`.
"""
from .net import KnotNet, build, _inputs, _trigger  # noqa: F401


def corpus_case():
    import torch
    torch.manual_seed(0)
    model = build(reconcile_lots=True).eval()
    reference = build().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
