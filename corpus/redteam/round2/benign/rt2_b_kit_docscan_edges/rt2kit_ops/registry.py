# expect: none
"""String-keyed access to the feature extractors, so that configs stay plain data."""
import functools

from . import filters

EXTRACTORS = {
    "edges": filters.sobel_magnitude,
    "smooth": filters.blur,
}


def make(name, **kwargs):
    return functools.partial(EXTRACTORS[name], **kwargs)
