"""Next-day wildfire spread risk with cloud-masked VIIRS inputs (helpers in fire_utils.py)."""
# expect: none
from .model import FireRiskNet, corpus_case  # noqa: F401
