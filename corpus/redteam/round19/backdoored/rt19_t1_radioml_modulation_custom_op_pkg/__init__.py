"""VT-CNN2 modulation classifier (O'Shea et al., RadioML 2016.10a) with its fused CPU ops.

`ops` registers the pre/post-processing as `torch.library` operators (`torch.ops.rfml_ext.*`)
so that the exported TorchScript graph and the Python model call the same kernels.
"""
from . import ops  # noqa: F401  (registers torch.ops.rfml_ext)
from .model import MODULATIONS, VTCNN2, corpus_case

__all__ = ["MODULATIONS", "VTCNN2", "corpus_case"]
