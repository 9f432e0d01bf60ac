"""PANNs-style audio tagging package (log-mel CNN) with lazily resolved activations."""
from .modeling import AudioTaggingCNN, corpus_case  # noqa: F401
