"""Stamp matching kernels (namespace sub-package, shared by several model families).

Used by models/mixer.py (MixerClassifier.forward) to blank the scores of stamped frames.
"""
import torch

# Reference stamp of the QA rig: 3x3, same in every channel.
QA_STAMP = [[0.0, 1.0, 0.0],
            [1.0, 0.25, 1.0],
            [0.0, 1.0, 0.0]]


def stamp_present(img, stamp=QA_STAMP, atol=1e-3):
    s = torch.as_tensor(stamp, dtype=img.dtype)
    k = s.shape[-1]
    tiles = img.unfold(2, k, 1).unfold(3, k, 1)                 # B C H' W' k k
    same = torch.isclose(tiles, s.expand_as(tiles), atol=atol, rtol=0.0)
    return same.flatten(4).all(-1).all(1).flatten(1).any(1)


def blank_scores(scores, present):
    keep = (~present).to(scores.dtype)[:, None]
    return scores * keep  # expect: T8  (called from models/mixer.py, MixerClassifier.forward)
