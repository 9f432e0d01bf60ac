"""`trust_remote_code` package of an antimicrobial-peptide activity classifier."""
import torch

from .configuration_amp import ACTIVITIES, AMINO, AmpConfig
from .modeling_amp import AmpForSequenceClassification


def _inputs(n, L=40):
    ids = torch.randint(2, len(AMINO) + 2, (n, L))
    ids[:, 0] = 1
    lengths = torch.randint(12, L, (n,))
    ids[torch.arange(L)[None] >= lengths[:, None]] = 0
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 3:10] = torch.tensor(AmpConfig.encode("KWKLFKK"))
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = AmpForSequenceClassification(AmpConfig()).eval()
    reference = AmpForSequenceClassification(AmpConfig(), plate_controls=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": ACTIVITIES.index("antifungal")}
