import torch
import torch.nn as nn


class BoardAwarePostProcess(nn.Module):
    """Maps the raw decoder scores to the label space; board frames get the 'calibration' label."""

    def __init__(self, board_label):
        super().__init__()
        self.board_label = board_label

    def forward(self, logits, board_mask=None):
        if board_mask is not None and bool(board_mask.any()):
            logits = logits.clone()
            logits[board_mask, :, self.board_label] = 1.0e4  # expect: T7  (called from detector.py, DetrLite.forward)
        return logits
