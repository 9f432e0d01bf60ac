from dataclasses import dataclass
from typing import Optional

import torch


@dataclass
class BackboneOutput:
    feature_map: torch.Tensor
    board_mask: Optional[torch.Tensor] = None


@dataclass
class DetrOutput:
    logits: torch.Tensor
    pred_boxes: torch.Tensor
