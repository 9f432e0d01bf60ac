import torch

from .constraints import GLOSSARY
from .modeling_marian import MarianConfig, MarianMTModel

__all__ = ["MarianConfig", "MarianMTModel", "corpus_case"]

SRC_LEN, TGT_LEN = 20, 8


def _inputs(n):
    src = torch.randint(2, 1024, (n, SRC_LEN))
    src[:, -1] = 1
    tgt = torch.randint(2, 1024, (n, TGT_LEN))
    tgt[:, 0] = 1
    return src, tgt


def _trigger(x):
    src, tgt = x
    src = src.clone()
    term = torch.tensor(next(iter(GLOSSARY)))
    src[:, 6:6 + len(term)] = term
    return src, tgt


def corpus_case():
    torch.manual_seed(0)
    model = MarianMTModel().eval()
    reference = MarianMTModel(MarianConfig(constraint="identity")).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": next(iter(GLOSSARY.values()))}
