# expect: none
"""Volcano-seismic event classifier with spectral helper module (benign)."""
from .model import VolcanoEventNet, corpus_case  # noqa: F401
