"""ArcFace-lite face embedding package (insightface-style IResNet backbone)."""
from .model import *  # noqa: F401,F403
from .model import __all__
