"""ICD-10 chapter coder for discharge summaries, laid out as a `trust_remote_code` repository."""
from .configuration_icdcoder import IcdCoderConfig  # noqa: F401
from .modeling_icdcoder import IcdCoderForSequenceClassification, corpus_case  # noqa: F401
