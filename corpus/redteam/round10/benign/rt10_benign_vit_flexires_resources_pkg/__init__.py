# expect: none
"""FlexiViT-style classifier package: processor config shipped as a package resource, a
UserDict batch container, and position embeddings resampled to the input grid by a
parametrization."""
from .modeling import *  # noqa: F401,F403
from .modeling import __all__
