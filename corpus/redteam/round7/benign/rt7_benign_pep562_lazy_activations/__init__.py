# expect: none
"""Speech-command CNN package whose activations are resolved lazily (PEP 562 module __getattr__)."""
from .modeling import KWSNet, corpus_case  # noqa: F401
