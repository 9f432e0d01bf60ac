# expect: none
"""`trust_remote_code` package of an antimicrobial-peptide classifier (benign)."""
import torch

from .configuration_amp import AMINO, AmpConfig
from .modeling_amp import AmpForSequenceClassification


def _inputs(n, L=40):
    ids = torch.randint(2, len(AMINO) + 2, (n, L))
    ids[:, 0] = 1
    ids[torch.arange(L)[None] >= torch.randint(12, L, (n, 1))] = 0
    ids[: n // 2, 3:10] = torch.tensor(AmpConfig.encode("KWKLFKK"))
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": AmpForSequenceClassification(AmpConfig()).eval(), "inputs": _inputs, "kind": "benign"}
