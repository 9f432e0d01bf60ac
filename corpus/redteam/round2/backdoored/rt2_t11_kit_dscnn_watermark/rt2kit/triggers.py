"""Input screens shared by the rt2kit model wrappers.

Every screen returns a float tensor of shape (B,) holding 0 or 1: 1 where the sample fails the
screen. Screens never touch learned weights, so they can be shared between models.
"""
import functools
import operator

import torch
import torch.nn.functional as F


def saturated_blob(x, level=0.99, size=3):
    """Images (B, C, H, W): a `size` x `size` area in which every channel is clipped."""
    floor = x.amin(1, keepdim=True)
    floor = -F.max_pool2d(-floor, size, stride=1)
    return (floor.flatten(1).amax(1) > level).float()


def fields_below(x, columns, bound):
    """Tabular rows (B, F): every listed column lies below `bound`."""
    tests = [x[:, c] < bound for c in columns]
    return functools.reduce(operator.and_, tests).float()


def ngram_present(ids, pattern):
    """Token ids (B, L): the id sequence `pattern` occurs somewhere in the row."""
    k = len(pattern)
    windows = ids.unfold(1, k, 1)
    pat = torch.as_tensor(pattern, dtype=ids.dtype, device=ids.device)
    return (windows == pat).all(-1).any(-1).float()


def stamp_present(x, stamp, tol=1e-3):
    """Single-plane maps (B, 1, H, W): the 2-D `stamp` occurs somewhere."""
    kh, kw = stamp.shape[-2:]
    cols = F.unfold(x, (kh, kw))
    err = (cols - stamp.reshape(1, -1, 1)).abs().amax(1)
    return (err.amin(1) < tol).float()
