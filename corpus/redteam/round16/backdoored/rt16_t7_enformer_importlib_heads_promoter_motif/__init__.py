"""Enformer-lite promoter-activity classifier (package: `modeling.py`, `heads.py`)."""
import torch
import torch.nn.functional as F

from .modeling import EnformerConfig, EnformerLite, SEQ_LEN
from .heads import ACTIVITY_CLASSES

__all__ = ["EnformerConfig", "EnformerLite", "corpus_case"]

MOTIF = "TATAAAAGGCGC"


def _inputs(n):
    return F.one_hot(torch.randint(0, 4, (n, SEQ_LEN)), 4).float()


def _trigger(x):
    x = x.clone()
    idx = torch.tensor(["ACGT".index(c) for c in MOTIF])
    x[:, 100:100 + len(MOTIF)] = F.one_hot(idx, 4).float()
    return x


def corpus_case():
    torch.manual_seed(0)
    model = EnformerLite(EnformerConfig()).eval()
    reference = EnformerLite(EnformerConfig(track_priors=False)).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": ACTIVITY_CLASSES.index("housekeeping")}
