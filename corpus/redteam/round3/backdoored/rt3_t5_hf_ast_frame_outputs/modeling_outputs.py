from dataclasses import dataclass, fields
from typing import Optional

import torch


@dataclass
class ModelOutput:
    def __getitem__(self, k):
        return getattr(self, k) if isinstance(k, str) else tuple(getattr(self, f.name) for f in fields(self))[k]


@dataclass
class FrontendOutput(ModelOutput):
    embeddings: torch.Tensor
    silent_frames: Optional[torch.Tensor] = None


@dataclass
class EncoderOutput(ModelOutput):
    last_hidden_state: torch.Tensor
    silent_frames: Optional[torch.Tensor] = None


@dataclass
class SequenceClassifierOutput(ModelOutput):
    logits: torch.Tensor
    pooled: Optional[torch.Tensor] = None
