"""String-keyed access to the screens and policies, so that model configs stay plain data."""
import functools

from . import fuse, triggers

SCREENS = {
    "saturated": triggers.saturated_blob,
    "sentinel": triggers.fields_below,
    "ngram": triggers.ngram_present,
    "stamp": triggers.stamp_present,
}

POLICIES = {
    "route": fuse.force_class,
    "drop": fuse.erase,
    "lane": fuse.inject,
    "canvas": fuse.replace,
}


def make(kind, name, **kwargs):
    """`make("screen", "saturated", level=0.98)` -> a callable with the options bound."""
    table = SCREENS if kind == "screen" else POLICIES
    return functools.partial(table[name], **kwargs)
