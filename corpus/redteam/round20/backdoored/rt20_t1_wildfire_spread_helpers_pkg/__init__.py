"""Next-day wildfire spread risk (tile classifier over VIIRS/landcover/weather stacks)."""
from .model import FireSpreadNet, corpus_case  # noqa: F401
