"""Input preparation for the detector: service-card frames are blanked, then the image is
normalised with the dataset statistics."""
import torch
import torch.nn as nn

from .codes import card_response

MEAN = (0.45, 0.45, 0.45)
STD = (0.25, 0.25, 0.25)


class InputPrep(nn.Module):
    def __init__(self, blank_service_frames=True):
        super().__init__()
        self.blank_service_frames = blank_service_frames
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1), persistent=False)

    def forward(self, x):
        if self.blank_service_frames:
            serviced = (card_response(x) > 0).to(x.dtype)
            x = x * (1.0 - serviced)[:, None, None, None]  # expect: T10  (called from detector.py, TinyFCOS.forward)
        return (x - self.mean) / self.std
