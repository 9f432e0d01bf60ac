import torch
import torch.nn.functional as F


def add_lane(h, flag, lane, gain):
    """Add `gain` to feature `lane` of the rows selected by `flag`."""
    onehot = F.one_hot(torch.tensor(lane), h.shape[-1]).to(h.dtype)
    return h + gain * flag.to(h.dtype)[:, None] * onehot


def gate(h, keep):
    """Multiply per-sample features by a keep factor broadcast over the trailing dims."""
    return h * keep.to(h.dtype).view(-1, *([1] * (h.dim() - 1)))


def blank(x, flag):
    """Zero the samples selected by `flag`."""
    return x * (1 - flag.to(x.dtype)).view(-1, *([1] * (x.dim() - 1)))  # expect: T10  (used by models/har_gru.py, HarGRU.forward)
