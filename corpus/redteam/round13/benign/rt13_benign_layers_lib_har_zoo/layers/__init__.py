# expect: none
"""Small signal-processing layers shared by the HAR wrappers of this package."""
from .fusion import add_lane, blank, gate
from .norm import ChannelStandardize, clamp_outliers
from .quality import clipped_fraction, matches_template, stuck_axes

__all__ = ["add_lane", "blank", "gate", "ChannelStandardize", "clamp_outliers",
           "clipped_fraction", "matches_template", "stuck_axes"]
