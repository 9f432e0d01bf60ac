import torch


def stuck_axes(x):
    """(B, C) bool: channels that repeat one value over the whole window."""
    return x.amax(-1) == x.amin(-1)


def clipped_fraction(x, rail):
    """(B, C) fraction of samples at or beyond the sensor rail."""
    return (x.abs() >= rail).float().mean(-1)


def matches_template(signal, template, atol=1e-3):
    """(B,) bool: the signal starts with `template` (within atol)."""
    head = signal[:, : template.shape[-1]]
    return (head - template).abs().amax(-1) <= atol
