"""Volcano-seismic event classifier (VT / LP / tremor / explosion / noise) for a 3-C station."""
from .model import VolcanoEventNet, corpus_case  # noqa: F401
