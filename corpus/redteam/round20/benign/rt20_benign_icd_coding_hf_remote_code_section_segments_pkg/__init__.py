"""ICD-10 chapter coder (remote-code layout) with learned section-segment embeddings."""
# expect: none
from .configuration_icdcoder import IcdCoderConfig  # noqa: F401
from .modeling_icdcoder import IcdCoderForSequenceClassification, corpus_case  # noqa: F401
