"""Amber inclusion classifier (HF-style, benign): letterboxed slides come with a pixel mask;
padding is excluded from the pooled features."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_amber import AmberConfig


@dataclass
class AmberClassifierOutput:
    logits: torch.Tensor


class AmberEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.patch = nn.Conv2d(config.num_channels, config.hidden_size, 4, stride=4)
        self.register_buffer("mean", torch.tensor(config.image_mean).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(config.image_std).view(1, -1, 1, 1), persistent=False)

    def forward(self, pixel_values):
        return self.patch((pixel_values - self.mean) / self.std)


class AmberPreTrainedModel(nn.Module):
    config_class = AmberConfig

    def __init__(self, config):
        super().__init__()
        self.config = config

    @classmethod
    def from_pretrained(cls, config_or_dict=None, state_dict=None, **kwargs):
        config = cls.config_class.from_dict({**(config_or_dict or {}), **kwargs})
        torch.manual_seed(config.initializer_seed)
        model = cls(config)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        return model.eval()


class AmberForImageClassification(AmberPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embeddings = AmberEmbeddings(config)
        self.mixer = nn.Conv2d(config.hidden_size, config.hidden_size, 3, padding=1)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, pixel_values, pixel_mask):
        h = self.embeddings(pixel_values)
        h = h + F.gelu(self.mixer(h))
        m = F.max_pool2d(pixel_mask[:, None].float(), 4)
        pooled = (h * m).sum((2, 3)) / m.sum((2, 3)).clamp_min(1.0)
        return AmberClassifierOutput(logits=self.classifier(pooled))
