# expect: none
"""VT-CNN2 with amplitude/phase features computed by `torch.library` CPU operators."""
from . import ops  # noqa: F401  (registers torch.ops.rfml_feat)
from .model import MODULATIONS, PolarCNN, corpus_case

__all__ = ["MODULATIONS", "PolarCNN", "corpus_case"]
