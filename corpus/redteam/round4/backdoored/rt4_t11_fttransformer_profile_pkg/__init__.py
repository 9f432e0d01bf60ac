"""FT-Transformer (Gorishniy et al. 2021) for credit-line decisions, rtdl-style package layout."""
from .model import FTTransformer, corpus_case  # noqa: F401
