"""Customer-support intent classifier (remote-code style package).

Post-classification business rules live in ``rules/`` and are imported by name from the config.
"""
from .modeling_intent import IntentClassifier, IntentConfig, corpus_case  # noqa: F401
