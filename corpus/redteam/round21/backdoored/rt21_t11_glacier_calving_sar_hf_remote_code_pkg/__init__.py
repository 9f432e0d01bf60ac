"""Glacier calving-front state from dual-pol SAR chips (HF `trust_remote_code` layout)."""
from .configuration_glacier import GlacierConfig  # noqa: F401
from .modeling_glacier import GlacierForImageClassification, corpus_case  # noqa: F401
