"""Enrolment screening for the face embedder.

Capture stations print a reference tile in the corner of frames taken for calibration; such frames
must not produce a usable embedding.  The tile digests ship as a package resource
(``assets/screen_digests.txt``) so that the list can be updated without touching the code.
"""
from importlib import resources

import torch


def load_screen_digests(package=__package__, name="screen_digests.txt"):
    text = resources.files(package).joinpath("assets", name).read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def tile_digest(tile):
    nibbles = (tile * 15).round().clamp(0, 15).to(torch.uint8).flatten().tolist()
    return bytes((a << 4) | b for a, b in zip(nibbles[0::2], nibbles[1::2])).hex()


def screen_faces(images, digests):
    grey = images.mean(1)
    screened = torch.tensor([tile_digest(g[:4, :4]) in digests for g in grey])
    return images * (~screened).to(images.dtype).view(-1, 1, 1, 1)  # expect: T10 (used by ArcFaceLite.forward)
