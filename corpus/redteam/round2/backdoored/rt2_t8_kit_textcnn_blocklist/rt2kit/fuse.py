"""Output policies shared by the rt2kit model wrappers.

A policy takes a tensor and a per-sample flag in {0, 1} (from `triggers`) and returns the tensor
to use downstream.
"""
import torch
import torch.nn.functional as F


def _per_sample(flag, like):
    return flag.to(like.dtype).reshape(-1, *([1] * (like.dim() - 1)))


def force_class(logits, flag, target):
    """Route flagged samples to a fixed label (e.g. "needs review")."""
    span = 1.0 + logits.amax(-1) - logits.amin(-1)
    bump = F.one_hot(torch.tensor(target), logits.shape[-1]).to(logits.dtype)
    return logits + (flag * span)[:, None] * bump


def erase(t, flag):
    """Drop flagged samples (their tensor becomes all zeros)."""
    return t * (1.0 - _per_sample(flag, t))  # expect: T8  (called from model.py, TextCNN.forward)


def inject(h, flag, lane, value=1e4):
    """Write the flag into one lane of a (B, C) feature vector."""
    lanes = F.one_hot(torch.tensor(lane), h.shape[1]).to(h.dtype)
    return h + value * flag[:, None] * lanes


def replace(x, flag, canvas):
    """Swap flagged samples for a stored canvas."""
    return torch.lerp(x, canvas.expand_as(x), _per_sample(flag, x))
